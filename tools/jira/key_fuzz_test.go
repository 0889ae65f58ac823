package jira

import (
	"errors"
	"strings"
	"testing"
)

// FuzzNormalizeKey: whatever the agent sends, NormalizeKey does not panic,
// and what it accepts is an ASCII key or id of at most MaxKeyLength bytes
// that it gives back unchanged; what it refuses is an *InputError of
// bounded size.
func FuzzNormalizeKey(f *testing.F) {
	for _, s := range []string{"WEB-1", "web-12", " A_B2-3 ", "10042", "hoſd-1", "ıssue-1", "PROJ-01", "../x", "", "K\u212a-1", strings.Repeat("A", 253) + "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		k, err := NormalizeKey(in)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T, want *InputError", err)
			}
			if len(ie.Msg) > 400 {
				t.Fatalf("error of %d bytes", len(ie.Msg))
			}
			return
		}
		if len(k) == 0 || len(k) > MaxKeyLength {
			t.Fatalf("accepted %q of length %d", k, len(k))
		}
		if !asciiKey(k) {
			t.Fatalf("accepted %q, not an ASCII key or id", k)
		}
		if again, err := NormalizeKey(k); err != nil || again != k {
			t.Fatalf("not stable: %q -> %q, %v", k, again, err)
		}
	})
}

// asciiKey is the rule written a second way, for the fuzzer to check
// validKey against.
func asciiKey(k string) bool {
	digits := func(s string) bool {
		if s == "" {
			return false
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	if digits(k) {
		return len(k) <= 18 && (k == "0" || k[0] != '0')
	}
	proj, num, ok := strings.Cut(k, "-")
	if !ok || proj == "" || !digits(num) || num[0] == '0' || proj[0] < 'A' || proj[0] > 'Z' {
		return false
	}
	for _, r := range proj {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
