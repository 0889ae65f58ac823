package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// The CLI twin: one command per tool, built from the tool's own value
// (tools.All): its positional arguments from the tool's CLI spec, a flag
// for each other argument of its input schema. A command calls the very
// handler the MCP server calls (tools.Toolset.Call) and prints the same
// text, or the structured content with --json. Exit codes: 0 ok, 1 error,
// 2 usage, 3 not logged in or forbidden, 4 rate limited.
//
// Flags follow the argument's schema type: a string, number or boolean
// flag; a comma-separated list for an array; NAME=VALUE, repeatable, for a
// free-form object (--field for "fields"); A:B for an object of named
// parts (--visibility role:Developers); a JSON object for either. Only the
// flags given are sent, so the tool's own defaults apply.

// twinCommands returns the CLI twin's commands, one per tool.
func twinCommands() []*cobra.Command {
	all := tools.All()
	cmds := make([]*cobra.Command, 0, len(all))
	for _, tl := range all {
		cmds = append(cmds, twinCommand(tl))
	}
	return cmds
}

// twinFlags are shared by every twin command.
type twinFlags struct {
	json    bool
	demo    bool
	verbose bool
	conn    connFlags
}

func (f *twinFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.json, "json", false, "print the structured result as JSON")
	cmd.Flags().BoolVar(&f.verbose, "verbose", false, "log what jira-mcp does (token refresh, retries) on stderr")
	cmd.Flags().BoolVar(&f.demo, "demo", false, "run against a fresh built-in emulator instead of Jira (changes last for this command only)")
	f.conn.register(cmd)
}

func twinCommand(tl tools.Tool) *cobra.Command {
	var f twinFlags
	use := []string{tl.CLI.Command}
	positional := map[string]bool{}
	long := tl.Def.Description
	if tl.CLI.Long != "" {
		long += "\n\n" + tl.CLI.Long
	}
	for _, a := range tl.CLI.Args {
		use = append(use, a.Meta)
		positional[a.Name] = true
		if slices.Contains(tl.CLI.Stdin, a.Name) {
			long += "\n\n" + a.Meta + " - reads standard input."
		}
	}
	long += "\n\n" + exitCodesHelp
	var example string
	if tl.CLI.Example != "" {
		example = "  " + strings.ReplaceAll(tl.CLI.Example, "\n", "\n  ")
	}
	cmd := &cobra.Command{
		Use:     strings.Join(use, " "),
		Short:   fmt.Sprintf("%s (the %s tool)", tl.Def.Title, tl.Def.Name),
		Long:    long,
		Example: example,
		Args:    cobra.ExactArgs(len(tl.CLI.Args)),
	}
	props := tl.Def.InputSchema.Properties
	var flags []toolFlag
	for _, name := range slices.Sorted(maps.Keys(props)) {
		if !positional[name] {
			schema, _ := props[name].(map[string]any)
			flags = append(flags, newToolFlag(cmd.Flags(), name, schema, slices.Contains(tl.CLI.Stdin, name)))
		}
	}
	cmd.RunE = func(cmd *cobra.Command, a []string) error {
		args := map[string]any{}
		for i, p := range tl.CLI.Args {
			args[p.Name] = a[i]
		}
		for _, fl := range flags {
			if !cmd.Flags().Changed(fl.flag) {
				continue
			}
			v, err := fl.value()
			if err != nil {
				return usage(fmt.Errorf("--%s: %w", fl.flag, err))
			}
			args[fl.arg] = v
		}
		for _, name := range tl.CLI.Stdin {
			if args[name] == "-" {
				body, err := readStdin(cmd)
				if err != nil {
					return err
				}
				args[name] = body
			}
		}
		return f.call(cmd, tl.Def.Name, args)
	}
	f.register(cmd)
	return cmd
}

// toolFlag is a flag standing for one argument of a tool.
type toolFlag struct {
	arg   string // the tool's argument
	flag  string // the flag's name
	value func() (any, error)
}

// newToolFlag defines the flag for argument name, typed by its schema.
func newToolFlag(fs *pflag.FlagSet, name string, schema map[string]any, stdin bool) toolFlag {
	flag := strings.ReplaceAll(name, "_", "-")
	usage, _ := schema["description"].(string)
	if lo, ok := schema["minimum"]; ok {
		if hi, ok := schema["maximum"]; ok {
			usage += fmt.Sprintf(" (%v-%v)", lo, hi)
		}
	}
	def, _ := schema["default"].(float64)
	tf := toolFlag{arg: name, flag: flag}
	switch typ, _ := schema["type"].(string); typ {
	case "integer":
		v := fs.Int(flag, int(def), usage)
		tf.value = func() (any, error) { return *v, nil }
	case "number":
		v := fs.Float64(flag, def, usage)
		tf.value = func() (any, error) { return *v, nil }
	case "boolean":
		v := fs.Bool(flag, false, usage)
		tf.value = func() (any, error) { return *v, nil }
	case "array":
		v := fs.StringSlice(flag, nil, usage+" (comma-separated)")
		tf.value = func() (any, error) { return *v, nil }
	case "object":
		if parts, _ := schema["required"].([]string); len(parts) > 0 {
			form := partsForm(schema, parts)
			v := fs.String(flag, "", usage+" ("+form+")")
			tf.value = func() (any, error) { return objectOfParts(*v, parts, form) }
			break
		}
		tf.flag = strings.TrimSuffix(flag, "s")
		v := fs.StringArray(tf.flag, nil, usage+" (NAME=VALUE, repeatable; a VALUE that is a JSON array or object is sent as such)")
		tf.value = func() (any, error) { return objectOfPairs(*v) }
	default:
		if stdin {
			usage += " (- reads stdin)"
		}
		v := fs.String(flag, "", usage)
		tf.value = func() (any, error) { return *v, nil }
	}
	return tf
}

// partsForm says how to write an object of named parts, e.g.
// "group:VALUE or role:VALUE" for visibility {type, value}.
func partsForm(schema map[string]any, parts []string) string {
	rest := make([]string, len(parts)-1)
	for i, p := range parts[1:] {
		rest[i] = strings.ToUpper(p)
	}
	tail := ""
	if len(rest) > 0 {
		tail = ":" + strings.Join(rest, ":")
	}
	props, _ := schema["properties"].(map[string]any)
	first, _ := props[parts[0]].(map[string]any)
	if enum, ok := first["enum"].([]string); ok && len(enum) > 0 {
		forms := make([]string, len(enum))
		for i, e := range enum {
			forms[i] = e + tail
		}
		return strings.Join(forms, " or ")
	}
	return strings.ToUpper(parts[0]) + tail
}

// objectOfParts reads "a:b" into {parts[0]: a, parts[1]: b}, or a JSON
// object as it is.
func objectOfParts(s string, parts []string, form string) (any, error) {
	if j, ok := jsonCompound(s); ok {
		return j, nil
	}
	vals := strings.SplitN(s, ":", len(parts))
	if len(vals) != len(parts) {
		return nil, fmt.Errorf("%q: use %s", s, form)
	}
	out := map[string]any{}
	for i, p := range parts {
		out[p] = vals[i]
	}
	return out, nil
}

// objectOfPairs reads NAME=VALUE pairs into an object. Only arrays and
// objects are read as JSON: "1.10" is a version name, not a number (the
// tools convert strings for number fields themselves).
func objectOfPairs(pairs []string) (any, error) {
	out := map[string]any{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%q: use NAME=VALUE", kv)
		}
		if j, ok := jsonCompound(v); ok {
			out[k] = j
		} else {
			out[k] = v
		}
	}
	return out, nil
}

// jsonCompound parses s when it is a JSON array or object.
func jsonCompound(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "{") {
		return nil, false
	}
	var j any
	return j, json.Unmarshal([]byte(t), &j) == nil
}

// call runs tool with args and prints its result.
func (f *twinFlags) call(cmd *cobra.Command, tool string, args map[string]any) error {
	var ts *tools.Toolset
	if f.demo {
		c, err := demoClient(newDemoEmulator())
		if err != nil {
			return err
		}
		ts = tools.New(c)
	} else {
		var err error
		// A person reads the result itself; log lines only when asked.
		logger := slog.New(slog.DiscardHandler)
		if f.verbose {
			logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
		if ts, err = f.conn.toolset(cmd, logger); err != nil {
			return err
		}
	}
	res, err := ts.Call(cmd.Context(), tool, args)
	if err != nil {
		return err
	}
	return printResult(cmd.OutOrStdout(), res, f.json)
}

// newDemoEmulator makes the emulator --demo runs against: a fresh one each
// time, so changes made with --demo last for one command only. Tests point
// it at one shared emulator.
var newDemoEmulator = func() *emulator.Emulator {
	return emulator.New(emulator.WithBaseURL(demoBaseURL))
}

// printResult writes a result and maps an error result to an exit code.
func printResult(out io.Writer, res *mcp.CallToolResult, asJSON bool) error {
	text := tools.Text(res)
	if res.IsError {
		code := 1
		switch tools.ErrorKind(res) {
		case tools.KindInvalidInput:
			code = 2
		case tools.KindLoginRequired, tools.KindCredentials, tools.KindForbidden:
			code = 3
		case tools.KindRateLimited:
			code = 4
		}
		return &exitError{code: code, err: fmt.Errorf("%s", terminalSafe(forPerson(text)))}
	}
	if asJSON {
		b, err := json.MarshalIndent(res.StructuredContent, "", "  ")
		if err != nil {
			return err
		}
		// Go's encoder escapes control characters but leaves bidi ones.
		_, err = fmt.Fprintf(out, "%s\n", terminalSafe(string(b)))
		return err
	}
	_, err := fmt.Fprintln(out, terminalSafe(forPerson(text)))
	return err
}

// terminalSafe escapes what a terminal would act on rather than show:
// text from Jira is anyone's, and ESC, BEL or a C1 CSI in a comment could
// set the title, clear the screen or rewrite what was printed, and bidi
// controls (RLO...) reorder it. They are shown as \x1b or \u202e, which is
// also valid inside JSON strings; newline and tab are kept.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafeRune(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c: // bidi
		return true
	}
	return r == utf8.RuneError
}

// readStdin reads a text argument given as "-".
func readStdin(cmd *cobra.Command) (string, error) {
	const limit = 1 << 20
	b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), limit+1))
	if err != nil {
		return "", fmt.Errorf("read stdin: %w", err)
	}
	if len(b) > limit {
		return "", usage(fmt.Errorf("standard input holds more than %d bytes", limit))
	}
	return strings.TrimRight(string(b), "\n"), nil
}
