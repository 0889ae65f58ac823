package site

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	cases := []struct {
		raw     string
		want    string // "" when refused
		errHas  string
		errLack string
	}{
		{raw: "https://jira.example.com", want: "https://jira.example.com"},
		{raw: "  https://jira.example.com/  ", want: "https://jira.example.com"},
		{raw: "https://example.com/jira/", want: "https://example.com/jira"},
		{raw: "https://example.com/jira//", want: "https://example.com/jira"},
		{raw: "https://jira.example.com:8443/jira", want: "https://jira.example.com:8443/jira"},
		{raw: "HTTPS://Jira.Example.COM/Jira", want: "https://jira.example.com/Jira"}, // the path keeps its case
		{raw: "https://example.com/ji%2Fra/", want: "https://example.com/ji%2Fra"},    // an escaped slash stays one
		{raw: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{raw: "http://127.9.9.9/jira/", want: "http://127.9.9.9/jira"},
		{raw: "http://localhost:2990/jira", want: "http://localhost:2990/jira"},
		{raw: "http://LocalHost", want: "http://localhost"},
		{raw: "http://[::1]:8080/", want: "http://[::1]:8080"},
		{raw: "http://[::1]", want: "http://[::1]"},

		{raw: "", errHas: "no Jira URL"},
		{raw: "   ", errHas: "no Jira URL"},
		{raw: "jira.example.com", errHas: "must be absolute"},
		{raw: "/jira", errHas: "must be absolute"},
		{raw: "ftp://jira.example.com", errHas: "must be absolute"},
		{raw: "https://", errHas: "must be absolute"},
		{raw: "https://:8443", errHas: "must be absolute"},
		{raw: "http://jira.example.com", errHas: "must use https"},
		{raw: "http://jira.example.com", errHas: "plain http"},
		{raw: "http://localhost.example.com", errHas: "must use https"},
		{raw: "http://127.0.0.1.nip.io", errHas: "must use https"},
		{raw: "http://0.0.0.0:8080", errHas: "must use https"},
		{raw: "http://10.0.0.1", errHas: "must use https"},
		{raw: "http://[::2]", errHas: "must use https"},
		{raw: "https://bob:hunter2@jira.example.com", errHas: "user info", errLack: "hunter2"},
		{raw: "https://bob@jira.example.com", errHas: "user info"},
		{raw: "https://jira.example.com/?os_authType=basic", errHas: "query"},
		{raw: "https://jira.example.com?", errHas: "query"},
		{raw: "https://jira.example.com/#top", errHas: "fragment"},
		{raw: "https://jira.example.com:bad", errHas: "jira URL"},
	}
	for _, c := range cases {
		t.Run(c.raw, func(t *testing.T) {
			u, err := ParseBaseURL(c.raw)
			if c.want != "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if u.String() != c.want {
					t.Errorf("got %q, want %q", u.String(), c.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted as %q, want an error containing %q", u, c.errHas)
			}
			if !strings.Contains(err.Error(), c.errHas) {
				t.Errorf("error %q lacks %q", err, c.errHas)
			}
			if c.errLack != "" && strings.Contains(err.Error(), c.errLack) {
				t.Errorf("error %q repeats %q", err, c.errLack)
			}
		})
	}
}

func TestParseBaseURLNeverEchoesAPassword(t *testing.T) {
	for _, raw := range []string{
		"https://bob:hunter2@jira.example.com",
		"https://bob:hunter2@jira.example.com:bad",
		"bob:hunter2@jira.example.com",
		"http://bob:hunter2@jira.example.com/jira",
	} {
		_, err := ParseBaseURL(raw)
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: error echoes the password: %v", raw, err)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true,
		"localhost.example.com": false, "127.0.0.1.nip.io": false, "0.0.0.0": false, "10.0.0.1": false,
		"::2": false, "": false, "jira.example.com": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestHideUserinfo(t *testing.T) {
	for raw, want := range map[string]string{
		"https://bob:hunter2@jira.example.com/x": "https://…@jira.example.com/x",
		"bob:hunter2@jira.example.com":           "…@jira.example.com",
		"https://jira.example.com/a@b":           "https://jira.example.com/a@b", // not in the authority
		"https://jira.example.com?u=a@b":         "https://jira.example.com?u=a@b",
		"https://a@b:c@jira.example.com:bad":     "https://…@jira.example.com:bad",
		"https://jira.example.com":               "https://jira.example.com",
	} {
		if got := HideUserinfo(raw); got != want {
			t.Errorf("HideUserinfo(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestWithin(t *testing.T) {
	root, _ := ParseBaseURL("https://jira.example.com")
	ctx, _ := ParseBaseURL("https://example.com/jira")
	cases := []struct {
		base *url.URL
		u    string
		want bool
	}{
		{root, "https://jira.example.com/rest/api/2/myself", true},
		{root, "https://JIRA.example.com/rest", true},
		{root, "https://jira.example.com", true},
		{root, "http://jira.example.com/rest", false},       // a downgrade
		{root, "https://jira.example.com:8443/rest", false}, // another port
		{root, "https://evil.example.com/rest", false},
		{ctx, "https://example.com/jira/rest/api/2/myself", true},
		{ctx, "https://example.com/jira", true},
		{ctx, "https://example.com/jiralike/rest", false},
		{ctx, "https://example.com/rest", false},
	}
	for _, c := range cases {
		u, err := url.Parse(c.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := Within(c.base, u); got != c.want {
			t.Errorf("Within(%s, %s) = %v, want %v", c.base, c.u, got, c.want)
		}
	}
}

func TestServedAnonymously(t *testing.T) {
	for reason, want := range map[string]bool{
		"AUTHENTICATED_FAILED": true, "AUTHENTICATION_DENIED": true, "OUT": false, "OK": false, "": false,
	} {
		h := http.Header{}
		if reason != "" {
			h.Set("X-Seraph-LoginReason", reason)
		}
		got, ok := ServedAnonymously(h)
		if ok != want || ok && got != reason {
			t.Errorf("%q: got %q, %v", reason, got, ok)
		}
	}
}

func TestReads(t *testing.T) {
	base, _ := url.Parse("https://example.com/jira")
	for _, c := range []struct {
		method, u string
		reads     bool
	}{
		{"GET", "https://example.com/jira/rest/api/2/issue/WEB-1", true},
		{"HEAD", "https://example.com/jira/rest/api/2/myself", true},
		{"POST", "https://example.com/jira/rest/api/2/search", true},
		{"POST", "https://example.com/jira/rest/api/latest/search", true},
		{"POST", "https://example.com/jira/rest/api/2/issue/WEB-1/comment", false},
		{"POST", "https://example.com/jira/rest/api/2/issue/WEB-1/transitions", false},
		{"PUT", "https://example.com/jira/rest/api/2/issue/WEB-1", false},
		{"DELETE", "https://example.com/jira/rest/api/2/issue/WEB-1", false},
		{"POST", "https://example.com/jira/rest/api/2/search/x", false},
		{"PUT", "https://example.com/jira/rest/api/2/search", false},
	} {
		u, _ := url.Parse(c.u)
		if got := Reads(c.method, Rel(base, u)); got != c.reads {
			t.Errorf("%s %s: Reads = %v, want %v", c.method, c.u, got, c.reads)
		}
	}
}
