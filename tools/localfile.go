package tools

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Local files, for the attachment tools: jira_add_attachment reads one,
// jira_get_attachment's save_to writes one. Only files under the working
// directory, or a folder the user allowed with --attachments-dir, may be
// touched, and never one that looks like a credential store.
//
// A path is resolved to its real form (filepath.EvalSymlinks) and must lie
// in an allowed folder, itself resolved; "~" is not expanded. The file is
// then opened through an os.Root on that folder, which refuses any path
// that leaves it, symlinks included, component by component; the final
// component is opened with O_NOFOLLOW, and the opened file must be the
// very file that was checked (os.SameFile on the fd's stat), so swapping
// a file or a parent folder for a symlink between the check and the open
// is caught.

// maxUpload is the largest file jira_add_attachment sends, and the largest
// save_to writes: Jira's default attachment limit.
const maxUpload = 10 << 20

// fileAccess says which local folders the attachment tools may use.
type fileAccess struct {
	workDir string   // "" means the process's working directory
	dirs    []string // --attachments-dir
}

// WithWorkDir sets the working directory the attachment tools resolve
// relative paths against (by default the process's), and returns t.
func (t *Toolset) WithWorkDir(dir string) *Toolset {
	t.files.workDir = dir
	return t
}

// WithAttachmentDirs allows the attachment tools to read and write files
// under these folders too (--attachments-dir), and returns t.
func (t *Toolset) WithAttachmentDirs(dirs []string) *Toolset {
	t.files.dirs = slices.Clone(dirs)
	return t
}

// pathError is a path refused by the rules; its text tells the agent why.
type pathError struct{ msg string }

func (e *pathError) Error() string { return e.msg }

func refuse(format string, a ...any) error { return &pathError{fmt.Sprintf(format, a...)} }

// roots returns the allowed folders, resolved; the working directory first.
func (fa fileAccess) roots() ([]string, error) {
	wd := fa.workDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("working directory: %w", err)
		}
	}
	var out []string
	for i, d := range append([]string{wd}, fa.dirs...) {
		abs, err := filepath.Abs(d)
		if err == nil {
			abs, err = filepath.EvalSymlinks(abs)
		}
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("working directory: %w", err)
			}
			continue // an allowed folder that is gone allows nothing
		}
		out = append(out, abs)
	}
	return out, nil
}

// localFile is a checked path: rel inside the allowed folder root.
type localFile struct {
	root  string
	rel   string
	shown string      // the path as the agent gave it
	info  os.FileInfo // Lstat of the real path when checked; nil if absent
}

// resolve checks p against the rules. For writing, p may name a file
// that does not exist yet (its folder must), or an existing folder, in
// which case the file is name in that folder.
func (fa fileAccess) resolve(p string, write bool, name string) (*localFile, error) {
	shown := clipValue(p)
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return nil, refuse("The path is empty.")
	case strings.HasPrefix(p, "~"):
		return nil, refuse("%q starts with ~, which is not expanded: give a path relative to the working directory.", shown)
	case strings.ContainsRune(p, 0):
		return nil, refuse("The path contains a NUL byte.")
	}
	roots, err := fa.roots()
	if err != nil {
		return nil, err
	}
	abs := p
	if !filepath.IsAbs(p) {
		abs = filepath.Join(roots[0], p)
	}
	abs = filepath.Clean(abs)
	real, err := realPath(abs, write)
	if err != nil {
		return nil, refuse("%q cannot be used: %s.", shown, pathReason(err))
	}
	if write {
		if fi, err := os.Stat(real); err == nil && fi.IsDir() && name != "" {
			real = filepath.Join(real, safeName(name))
		}
	}
	for _, r := range roots {
		rel, err := filepath.Rel(r, real)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if why := sensitivePath(real, rel, write); why != "" {
			return nil, refuse("%q is refused: %s. jira-mcp keeps away from credential stores and configuration files.", shown, why)
		}
		lf := &localFile{root: r, rel: rel, shown: shown}
		if fi, err := os.Lstat(real); err == nil {
			lf.info = fi
		}
		return lf, nil
	}
	return nil, refuse("%q is outside the folders jira-mcp may use (the working directory %s%s). Copy the file there, or ask the user to allow its folder with --attachments-dir.", shown, roots[0], otherRoots(roots))
}

func otherRoots(roots []string) string {
	if len(roots) < 2 {
		return ""
	}
	return " and " + strings.Join(roots[1:], ", ")
}

// realPath resolves abs's symlinks. A file to write may not exist yet:
// then its folder is resolved.
func realPath(abs string, write bool) (string, error) {
	real, err := filepath.EvalSymlinks(abs)
	if err == nil || !write || !errors.Is(err, fs.ErrNotExist) {
		return real, err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

func pathReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// safeName keeps a file name from Jira (untrusted) to one path component.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' {
			return '_'
		}
		return r
	}, name)
	if name = strings.TrimLeft(name, "."); name == "" {
		return "attachment"
	}
	return name
}

// Credential stores, by folder and by file name (lower case).
var (
	secretDirs  = []string{".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure", ".password-store", ".git"}
	secretFiles = []string{
		".env", ".envrc", ".netrc", "_netrc", ".pgpass", ".git-credentials", ".npmrc", ".pypirc",
		".dockercfg", ".htpasswd", "credentials", "credentials.json", "kubeconfig", ".my.cnf",
	}
	secretExts = []string{".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".kdbx", ".ppk"}
)

// sensitivePath says why a path looks like a credential store, or "".
// Writing is refused in any hidden folder or to any hidden file too: a
// saved file must not become configuration (.git/config, .envrc).
func sensitivePath(real, rel string, write bool) string {
	parts := strings.Split(strings.ToLower(rel), string(filepath.Separator))
	base := parts[len(parts)-1]
	for i, part := range parts {
		switch {
		case slices.Contains(secretDirs, part) && i < len(parts)-1:
			return "it is inside " + part
		case part == ".config" && i+1 < len(parts)-1 && slices.Contains([]string{"gcloud", "jira-mcp", "gh"}, parts[i+1]):
			return "it is inside .config/" + parts[i+1]
		case write && strings.HasPrefix(part, "."):
			return "save_to writes no hidden file and into no hidden folder"
		}
	}
	switch {
	case slices.Contains(secretFiles, base), strings.HasPrefix(base, ".env."):
		return base + " holds credentials"
	case strings.HasPrefix(base, "id_") && !strings.HasSuffix(base, ".pub"):
		return base + " looks like an SSH private key"
	case slices.Contains(secretExts, filepath.Ext(base)):
		return base + " looks like a key or certificate store"
	}
	for _, d := range keyringDirs() {
		if real == d || strings.HasPrefix(real, d+string(filepath.Separator)) {
			return "it is inside jira-mcp's keyring folder"
		}
	}
	return ""
}

// keyringDirs are where jira-mcp's file keyring may live (see package
// auth), resolved.
func keyringDirs() []string {
	var dirs []string
	if d := os.Getenv("JIRA_MCP_KEYRING_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	if c, err := os.UserConfigDir(); err == nil {
		dirs = append(dirs, filepath.Join(c, "jira-mcp"))
	}
	for i, d := range dirs {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			dirs[i] = r
		}
	}
	return dirs
}

// read reads the checked file, at most limit bytes, through an os.Root on
// its folder, and only if it is still the file that was checked.
func (lf *localFile) read(limit int64) ([]byte, error) {
	if lf.info == nil {
		return nil, refuse("%q: no such file.", lf.shown)
	}
	if !lf.info.Mode().IsRegular() {
		return nil, refuse("%q is not a regular file.", lf.shown)
	}
	if lf.info.Size() > limit {
		return nil, refuse("%q is %s (%d bytes), over the limit of %d bytes.", lf.shown, byteSize(lf.info.Size()), lf.info.Size(), limit)
	}
	root, err := os.OpenRoot(lf.root)
	if err != nil {
		return nil, refuse("%q cannot be opened: %s.", lf.shown, pathReason(err))
	}
	defer root.Close()
	// O_NONBLOCK: a FIFO swapped in must not hang the call.
	f, err := root.OpenFile(lf.rel, os.O_RDONLY|openNoFollow|openNonBlock, 0)
	if err != nil {
		return nil, refuse("%q cannot be opened: %s.", lf.shown, pathReason(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !os.SameFile(fi, lf.info) || !fi.Mode().IsRegular() {
		return nil, refuse("%q changed while it was being opened; nothing was read.", lf.shown)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, refuse("%q could not be read: %s.", lf.shown, pathReason(err))
	}
	if int64(len(data)) > limit {
		return nil, refuse("%q grew over the %s limit while it was read.", lf.shown, byteSize(limit))
	}
	return data, nil
}

// write writes data to the checked path through an os.Root on its
// folder. An existing file is replaced only when overwrite is set, and
// then by renaming a new file over it: a symlink there is replaced, never
// followed.
func (lf *localFile) write(data []byte, overwrite bool) error {
	if lf.info != nil && !overwrite {
		return refuse("%q exists; pass overwrite: true to replace it, or another save_to.", lf.shown)
	}
	if lf.info != nil && lf.info.IsDir() {
		return refuse("%q is a folder.", lf.shown)
	}
	root, err := os.OpenRoot(lf.root)
	if err != nil {
		return refuse("%q cannot be written: %s.", lf.shown, pathReason(err))
	}
	defer root.Close()
	target := lf.rel
	if overwrite {
		var rnd [6]byte
		rand.Read(rnd[:])
		target = filepath.Join(filepath.Dir(lf.rel), ".jira-mcp-"+hex.EncodeToString(rnd[:])+".tmp")
	}
	f, err := root.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL|openNoFollow, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return refuse("%q exists; pass overwrite: true to replace it, or another save_to.", lf.shown)
	} else if err != nil {
		return refuse("%q cannot be written: %s.", lf.shown, pathReason(err))
	}
	_, werr := f.Write(data)
	if werr == nil && !openedAt(f, filepath.Join(lf.root, target)) {
		werr = errors.New("the folder changed while the file was being created")
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil && overwrite {
		werr = root.Rename(target, lf.rel)
	}
	if werr != nil {
		root.Remove(target)
		return refuse("%q could not be written: %s.", lf.shown, pathReason(werr))
	}
	return nil
}

// openedAt reports whether f is open at path, by the fd's path where the
// system tells it (Linux's /proc); elsewhere it trusts os.Root.
func openedAt(f *os.File, path string) bool {
	got, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", f.Fd()))
	return err != nil || got == path
}

// byteSize shows a size for people: 812 bytes, 14.2 KB, 3.1 MB.
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
