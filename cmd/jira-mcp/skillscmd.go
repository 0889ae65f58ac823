package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/skills"
)

// newSkillsCmd is `jira-mcp skills list | show NAME | install`.
func newSkillsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "skills",
		Short: "List, show or install the bundled Agent Skills (Jira workflows for coding agents)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newSkillsListCmd(), newSkillsShowCmd(), newSkillsInstallCmd())
	return cmd
}

func newSkillsListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the bundled skills",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, s := range skills.List() {
				fmt.Fprintf(w, "%s\t%s\n", s.Name, firstSentence(s.Description))
			}
			return w.Flush()
		},
	}
}

func newSkillsShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:       "show NAME",
		Short:     "Print a skill's SKILL.md",
		Args:      cobra.ExactArgs(1),
		ValidArgs: skills.Names(),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, ok := skills.Get(args[0])
			if !ok {
				return usage(fmt.Errorf("no skill %q; `jira-mcp skills list` shows: %s", args[0], strings.Join(skills.Names(), ", ")))
			}
			_, err := cmd.OutOrStdout().Write(s.Content)
			return err
		},
	}
}

func newSkillsInstallCmd() *cobra.Command {
	var (
		project bool
		dir     string
		force   bool
	)
	cmd := &cobra.Command{
		Use:   "install",
		Short: "Install the skills for Claude Code (~/.claude/skills by default)",
		Long: `Install writes each bundled skill to <dir>/<name>/SKILL.md, where Claude Code
and other Agent Skills clients find it: ~/.claude/skills by default,
./.claude/skills with --project, or any folder with --dir.

It is safe to run again: files already up to date are left alone, files from an
earlier jira-mcp are updated, and files you edited are kept unless --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if project && dir != "" {
				return usage(errors.New("use --project or --dir, not both"))
			}
			target, err := skillsDir(project, dir)
			if err != nil {
				return err
			}
			results, err := skills.Install(target, force)
			printInstall(cmd.OutOrStdout(), results)
			if err != nil {
				return err
			}
			summary, skipped := installSummary(results)
			fmt.Fprintf(cmd.OutOrStdout(), "%s in %s\n", summary, displayPath(target))
			if skipped > 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "Files you changed were kept; add --force to replace them with the bundled version.")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&project, "project", false, "install into ./.claude/skills (this repository) instead of ~/.claude/skills")
	cmd.Flags().StringVar(&dir, "dir", "", "install into this folder instead")
	cmd.Flags().BoolVar(&force, "force", false, "replace skill files you have changed")
	return cmd
}

// skillsDir picks the install folder: --dir, --project, or the user's.
func skillsDir(project bool, dir string) (string, error) {
	switch {
	case dir != "":
		return dir, nil
	case project:
		return filepath.Join(".claude", "skills"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find home folder: %w (use --project or --dir)", err)
	}
	return filepath.Join(home, ".claude", "skills"), nil
}

func printInstall(w io.Writer, results []skills.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t(%s)\n", r.Status, displayPath(r.Path), r.Reason)
	}
	tw.Flush()
}

// installSummary counts results by status: "5 written, 0 unchanged, 0 skipped".
func installSummary(results []skills.Result) (summary string, skipped int) {
	n := map[skills.Status]int{}
	for _, r := range results {
		n[r.Status]++
	}
	return fmt.Sprintf("%d written, %d unchanged, %d skipped", n[skills.Written], n[skills.Unchanged], n[skills.Skipped]), n[skills.Skipped]
}

// firstSentence shortens a skill description for a one-line listing.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// displayPath shows a path under the home folder as ~/..., so output is
// short and does not depend on who runs it.
func displayPath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || !filepath.IsAbs(p) {
		return p
	}
	rel, err := filepath.Rel(home, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	if rel == "." {
		return "~"
	}
	return "~" + string(filepath.Separator) + rel
}
