package main

import (
	"strings"
	"testing"
)

// Merging keeps every byte it does not change: comments, trailing commas,
// indentation, one-line objects.
func TestJSONFileEdits(t *testing.T) {
	tests := []struct {
		name, in string
		edit     func(f *jsonFile) error
		want     string
	}{
		{
			name: "empty file",
			in:   "",
			edit: func(f *jsonFile) error { return f.set([]string{"a", "b"}, []string{"x"}) },
			want: "{\n  \"a\": {\n    \"b\": [\n      \"x\"\n    ]\n  }\n}\n",
		},
		{
			name: "comments and trailing commas kept",
			in:   "{\n  // mine\n  \"servers\": {\n    \"o\": 1, // one\n  },\n}\n",
			edit: func(f *jsonFile) error { return f.set([]string{"servers", "j"}, map[string]any{"k": "v"}) },
			want: "{\n  // mine\n  \"servers\": {\n    \"o\": 1, // one\n    \"j\": {\n      \"k\": \"v\"\n    },\n  },\n}\n",
		},
		{
			name: "value replaced in place",
			in:   "{\n\t\"a\": 1, /* why */\n\t\"b\": true\n}\n",
			edit: func(f *jsonFile) error { return f.set([]string{"a"}, 2) },
			want: "{\n\t\"a\": 2, /* why */\n\t\"b\": true\n}\n",
		},
		{
			name: "tabs followed",
			in:   "{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}\n",
			edit: func(f *jsonFile) error { return f.set([]string{"a", "c"}, []int{1}) },
			want: "{\n\t\"a\": {\n\t\t\"b\": 1,\n\t\t\"c\": [\n\t\t\t1\n\t\t]\n\t}\n}\n",
		},
		{
			name: "one-line object stays one line",
			in:   `{"a": {"b": 1}}`,
			edit: func(f *jsonFile) error { return f.set([]string{"a", "c"}, map[string]any{"d": "e<f"}) },
			want: "{\"a\": {\"b\": 1, \"c\": {\"d\": \"e<f\"}}}\n",
		},
		{
			name: "list appended, comment kept",
			in:   "{\n  \"deny\": [\n    \"x\" // keep\n  ]\n}\n",
			edit: func(f *jsonFile) error { return f.appendElements([]string{"deny"}, "y", "z") },
			want: "{\n  \"deny\": [\n    \"x\", // keep\n    \"y\",\n    \"z\"\n  ]\n}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseJSONFile([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.edit(f); err != nil {
				t.Fatal(err)
			}
			if got := string(f.bytes()); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if _, err := parseJSONFile(f.bytes()); err != nil {
				t.Errorf("result does not parse: %v", err)
			}
		})
	}
}

func TestJSONFileRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"[1]":            "not a JSON object",
		`{"a": }`:        "not valid JSON",
		`{"a": [1]}`:     `"a" is not an object`,
		`{"a": {"b": 1}`: "not valid JSON",
	} {
		f, err := parseJSONFile([]byte(in))
		if err == nil {
			err = f.set([]string{"a", "b"}, 1)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", in, err, want)
		}
	}
}
