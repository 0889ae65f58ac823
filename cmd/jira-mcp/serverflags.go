package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/server"
	"github.com/jira-mcp/jira-mcp/tools"
)

// serverFlags are the flags common to serve and demo: which tools the
// agent gets and where they may reach, and where logs go.
type serverFlags struct {
	readOnly  bool
	toolsets  []string
	tools     []string
	projects  []string
	attachDir []string // --attachments-dir
	auditFile string
	logLevel  string
	logFile   string
}

func (f *serverFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.BoolVar(&f.readOnly, "read-only", false, "register only the tools that read (overrides --toolsets and --tools)")
	fs.StringSliceVar(&f.toolsets, "toolsets", nil, "serve these toolsets only: "+strings.Join(tools.Toolsets, ", ")+" (default: all)")
	fs.StringSliceVar(&f.tools, "tools", nil, "serve these tools (by name) besides any --toolsets")
	fs.StringSliceVar(&f.projects, "projects", nil, "confine every tool, writes included, to these project keys (e.g. WEB,OPS)")
	fs.StringSliceVar(&f.attachDir, "attachments-dir", nil, "let the attachment tools read and save files in these folders too (besides the working directory)")
	fs.StringVar(&f.auditFile, "audit-file", "", "append each write to this audit log (serve's default: the user's state folder; see jira-mcp audit)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&f.logFile, "log-file", "", "append logs to this file instead of stderr")
}

var projectKeyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,254}$`)

// options makes the server's options for ts: the tools chosen, confined
// to the projects, and the audit log (by default only for a real Jira).
func (f *serverFlags) options(ts *tools.Toolset, logger *slog.Logger, auditByDefault bool) (server.Options, error) {
	list, err := tools.Select(tools.Selection{Toolsets: f.toolsets, Tools: f.tools, ReadOnly: f.readOnly})
	if err != nil {
		return server.Options{}, usage(err)
	}
	for i, p := range f.projects {
		f.projects[i] = strings.ToUpper(strings.TrimSpace(p))
		if !projectKeyRE.MatchString(f.projects[i]) {
			return server.Options{}, usage(fmt.Errorf("--projects: %q is not a project key (like WEB or OPS_2)", p))
		}
	}
	ts.WithProjects(f.projects).WithAttachmentDirs(f.attachDir)
	o := server.Options{Tools: ts, ServerTools: ts.ServerTools(list), Version: buildVersion(), Logger: logger}
	path := f.auditFile
	if path == "" && auditByDefault {
		if path, err = server.DefaultAuditPath(); err != nil {
			logger.Warn("no audit log: the user's state folder is unknown", "error", err.Error())
		}
	}
	if path != "" {
		o.Audit = server.NewAudit(path, logger)
	}
	return o, nil
}

// logger opens the log destination. The returned close func is never nil.
func (f *serverFlags) logger(stderr io.Writer) (*slog.Logger, func(), error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, nil, usage(fmt.Errorf("--log-level %q: use debug, info, warn or error", f.logLevel))
	}
	w, closeFn := stderr, func() {}
	if f.logFile != "" {
		file, err := os.OpenFile(f.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("open log file: %w", err)
		}
		w, closeFn = file, func() { file.Close() }
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), closeFn, nil
}
