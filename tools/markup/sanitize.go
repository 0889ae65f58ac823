package markup

import "strings"

// stripHTMLComments drops every terminated "<!-- ... -->".
func stripHTMLComments(s string) string {
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i+4:], "-->")
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+4+j+3:]
	}
}
