package jira

import "context"

// ProjectKeys lists the keys of the projects the user can see, for
// completing prompt arguments.
func (c *Client) ProjectKeys(ctx context.Context) ([]string, error) {
	var out []struct {
		Key string `json:"key"`
	}
	if err := c.do(ctx, "GET", "rest/api/2/project", nil, nil, &out); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(out))
	for _, p := range out {
		keys = append(keys, p.Key)
	}
	return keys, nil
}
