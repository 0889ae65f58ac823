package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// files makes a working directory and a folder outside it, with a secret.
func files(t *testing.T) (fileAccess, string, string) {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	work, outside := filepath.Join(base, "work"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(work, "sub"), outside} {
		os.MkdirAll(d, 0o755)
	}
	os.WriteFile(filepath.Join(outside, "a.txt"), []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(work, "sub", "a.txt"), []byte("fine"), 0o644)
	return fileAccess{workDir: work}, work, outside
}

// Between the check and the open, the file or a parent folder is replaced
// by a symlink leaving the folder, or by another file: nothing is read.
func TestLocalFileSwappedAfterCheck(t *testing.T) {
	for name, swap := range map[string]func(work, outside string){
		"file becomes a symlink": func(work, outside string) {
			os.Remove(filepath.Join(work, "sub", "a.txt"))
			os.Symlink(filepath.Join(outside, "a.txt"), filepath.Join(work, "sub", "a.txt"))
		},
		"parent becomes a symlink": func(work, outside string) {
			os.Rename(filepath.Join(work, "sub"), filepath.Join(work, "old"))
			os.Symlink(outside, filepath.Join(work, "sub"))
		},
		"file replaced": func(work, _ string) {
			// The old file stays (linked elsewhere), so the new one cannot
			// reuse its inode.
			p := filepath.Join(work, "sub", "a.txt")
			os.Link(p, filepath.Join(work, "keep"))
			os.WriteFile(p+".new", []byte("other"), 0o644)
			os.Rename(p+".new", p)
		},
	} {
		t.Run(name, func(t *testing.T) {
			fa, work, outside := files(t)
			lf, err := fa.resolve("sub/a.txt", false, "")
			if err != nil {
				t.Fatal(err)
			}
			swap(work, outside)
			data, err := lf.read(maxUpload)
			if err == nil {
				t.Fatalf("read %q after the swap", data)
			}
			t.Log(err)
		})
	}
}

func TestLocalFileWriteParentSwapped(t *testing.T) {
	fa, work, outside := files(t)
	lf, err := fa.resolve("sub/new.txt", true, "")
	if err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(work, "sub"), filepath.Join(work, "old"))
	os.Symlink(outside, filepath.Join(work, "sub"))
	if err := lf.write([]byte("x"), false); err == nil {
		t.Fatal("wrote through a swapped folder")
	}
	if _, err := os.Stat(filepath.Join(outside, "new.txt")); err == nil {
		t.Error("a file was created outside")
	}
}

func TestSensitivePath(t *testing.T) {
	for _, c := range []struct {
		rel   string
		write bool
		want  string
	}{
		{"notes.txt", false, ""},
		{"docs/id_rsa.pub", false, ""},
		{"home/.aws/credentials", false, "inside .aws"},
		{".config/gcloud/application_default_credentials.json", false, "inside .config/gcloud"},
		{".config/jira-mcp/keyring/x", false, "inside .config/jira-mcp"},
		{".kube/config", false, "inside .kube"},
		{".pgpass", false, "holds credentials"},
		{".git-credentials", false, "holds credentials"},
		{"certs/server.KEY", false, "key or certificate"},
		{"id_ed25519", false, "SSH private key"},
		{".github/workflows/ci.yml", false, ""},
		{".github/workflows/ci.yml", true, "hidden"},
		{"out/.envrc", true, "hidden"},
	} {
		if got := sensitivePath("/nowhere/"+c.rel, filepath.FromSlash(c.rel), c.write); c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("%s (write %v): %q, want %q", c.rel, c.write, got, c.want)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"a.png": "a.png", "../../x": "x", `..\..\evil.bat`: "evil.bat", ".bashrc": "bashrc", "..": "attachment", "a\nb": "a_b", "": "attachment"} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}
