//go:build unix

package deployenv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// outsideLayout writes a deployment folder dep and a folder out beside it
// holding out/x.env (a secret) and out/base.yml; prepare adds the files
// that point out of dep. It returns both folders.
func outsideLayout(t *testing.T, compose string, prepare func(dep, out string)) (string, string) {
	t.Helper()
	parent := t.TempDir()
	dep, out := filepath.Join(parent, "dep"), filepath.Join(parent, "out")
	for _, d := range []string{filepath.Join(dep, "deploy", "config"), out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, text string) {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(out, "x.env"), "OUT_VALUE="+planted+"\n")
	write(filepath.Join(out, "base.yml"), "services:\n  base:\n    image: b\n    environment:\n      OUT_VALUE: "+planted+"\n")
	write(filepath.Join(out, "labels.txt"), "OUT_LABEL="+planted+"\n")
	write(filepath.Join(dep, "production.yml"), strings.ReplaceAll(compose, "$OUT", out))
	if prepare != nil {
		prepare(dep, out)
	}
	return dep, out
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestFilesOutsideAreRefused: every way a file can point out of the
// deployment folder is refused with the file and its target named, and
// accepted when --allow-outside names the target's folder.
func TestFilesOutsideAreRefused(t *testing.T) {
	envFile := func(path string) string {
		return "services:\n  django:\n    image: x\n    env_file:\n      - " + path + "\n"
	}
	for _, tc := range []struct {
		name    string
		compose string
		prepare func(dep, out string)
		value   string // the variable that holds the outside value once allowed
		want    string
	}{
		{name: "env_file through ..", compose: envFile("../out/x.env"), value: "OUT_VALUE", want: "env_file: refusing to read $OUT/x.env: it is outside the deployment folder"},
		{name: "env_file absolute", compose: envFile("$OUT/x.env"), value: "OUT_VALUE", want: "env_file: refusing to read $OUT/x.env: it is outside"},
		{name: "env_file symlink", compose: envFile("./deploy/config/django.env"), value: "OUT_VALUE",
			prepare: func(dep, out string) {
				symlink(t, filepath.Join(out, "x.env"), filepath.Join(dep, "deploy", "config", "django.env"))
			},
			want: "refusing to read deploy/config/django.env: it is a symlink to $OUT/x.env, outside"},
		{name: "env_file in a symlinked folder", compose: envFile("./deploy/config/x.env"), value: "OUT_VALUE",
			prepare: func(dep, out string) {
				if err := os.RemoveAll(filepath.Join(dep, "deploy", "config")); err != nil {
					t.Fatal(err)
				}
				symlink(t, out, filepath.Join(dep, "deploy", "config"))
			},
			want: "refusing to read deploy/config/x.env: it resolves to $OUT/x.env, outside"},
		{name: "stack.env symlink", compose: "services:\n  django:\n    image: x\n    env_file: [stack.env]\n", value: "OUT_VALUE",
			prepare: func(dep, out string) { symlink(t, filepath.Join(out, "x.env"), filepath.Join(dep, "stack.env")) },
			want:    "stack.env: refusing to read stack.env: it is a symlink to $OUT/x.env"},
		{name: "production.yml symlink", value: "OUT_VALUE",
			prepare: func(dep, out string) {
				p := filepath.Join(dep, "production.yml")
				if err := os.Rename(p, filepath.Join(out, "production.yml")); err != nil {
					t.Fatal(err)
				}
				// Paths stay relative to the deployment folder, not to the link's target.
				if err := os.WriteFile(filepath.Join(out, "production.yml"), []byte(envFile("../out/x.env")), 0o644); err != nil {
					t.Fatal(err)
				}
				symlink(t, filepath.Join(out, "production.yml"), p)
			},
			want: "refusing to read production.yml: it is a symlink to $OUT/production.yml"},
		{name: "label_file through ..", compose: "services:\n  django:\n    image: x\n    label_file: ../out/labels.txt\n",
			want: "label_file: refusing to read $OUT/labels.txt"},
		{name: "extends file through ..", compose: "services:\n  django:\n    extends:\n      file: ../out/base.yml\n      service: base\n", value: "OUT_VALUE",
			want: "refusing to read $OUT/base.yml: it is outside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dep, out := outsideLayout(t, tc.compose, tc.prepare)
			realOut, err := filepath.EvalSymlinks(out)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(context.Background(), Options{Dir: dep})
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error = %v, want a refusal", err)
			}
			msg := err.Error()
			want := strings.ReplaceAll(tc.want, "$OUT", realOut)
			if !strings.Contains(msg, want) && !strings.Contains(msg, strings.ReplaceAll(tc.want, "$OUT", out)) {
				t.Errorf("error = %q\nwant it to contain %q", msg, want)
			}
			if !strings.Contains(de.Hint, "--allow-outside") || strings.Contains(msg, planted) {
				t.Errorf("error = %q: want the --allow-outside hint and no value", msg)
			}

			d, err := Load(context.Background(), Options{Dir: dep, AllowOutside: []string{out}})
			if err != nil {
				t.Fatalf("with --allow-outside: %v", err)
			}
			if tc.value != "" {
				if v, _ := d.Services[d.Main].Get(tc.value); v != planted {
					t.Errorf("with --allow-outside, %s = %q, want the outside file's value", tc.value, v)
				}
			}
		})
	}
}

// TestAllowOutsideMustBeAFolder: a typo in --allow-outside is an error,
// not a silent no-op.
func TestAllowOutsideMustBeAFolder(t *testing.T) {
	dir := deploy(t, map[string]string{"production.yml": "services:\n  django:\n    image: x\n"})
	_, err := Load(context.Background(), Options{Dir: dir, AllowOutside: []string{filepath.Join(dir, "nope")}})
	if err == nil || !strings.Contains(err.Error(), "--allow-outside") {
		t.Errorf("error = %v, want one about --allow-outside", err)
	}
}

// TestNotRegularFilesAreRefused: pipes and devices are refused without
// being opened for a blocking read; a pipe nobody writes to would hang.
func TestNotRegularFilesAreRefused(t *testing.T) {
	envFile := "services:\n  django:\n    image: x\n    env_file:\n      - ./deploy/config/django.env\n"
	for _, tc := range []struct {
		name, compose, file, want string
		allow                     []string
	}{
		{"env_file pipe", envFile, "deploy/config/django.env", "it is a named pipe, not a regular file", nil},
		{"stack.env pipe", "services:\n  django:\n    image: x\n", "stack.env", "it is a named pipe", nil},
		{"production.yml pipe", "", "production.yml", "cannot read production.yml: it is a named pipe", nil},
		{"extends pipe", "services:\n  django:\n    extends:\n      file: base.yml\n      service: base\n", "base.yml", "it is a named pipe", nil},
		{"env_file device", envFile, "", "it is a device, not a regular file", []string{"/dev"}},
		{"env_file folder", "services:\n  django:\n    image: x\n    env_file:\n      - ./deploy/config\n", "", "it is a folder, not a regular file", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := deploy(t, map[string]string{"production.yml": tc.compose, "deploy/config/.keep": ""})
			switch {
			case tc.file != "":
				p := filepath.Join(dir, tc.file)
				_ = os.Remove(p)
				if err := syscall.Mkfifo(p, 0o644); err != nil {
					t.Fatalf("mkfifo: %v", err)
				}
			case strings.Contains(tc.name, "device"):
				symlink(t, "/dev/zero", filepath.Join(dir, "deploy", "config", "django.env"))
			}
			done := make(chan error, 1)
			go func() {
				_, err := Load(context.Background(), Options{Dir: dir, AllowOutside: tc.allow})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error = %v, want %q", err, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Load blocked on a file that is not a regular file")
			}
		})
	}
}

// TestIncludeAndNestedExtendsAreRefused: both would make compose-go read
// files before they can be checked.
func TestIncludeAndNestedExtendsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"include", map[string]string{"production.yml": "include:\n  - other.yml\nservices:\n  django:\n    image: x\n", "other.yml": "services: {}\n"},
			"production.yml:2: production.yml uses include:"},
		{"extends of an extends", map[string]string{
			"production.yml": "services:\n  django:\n    extends:\n      file: sub/mid.yml\n      service: base\n",
			"sub/mid.yml":    "services:\n  base:\n    extends:\n      file: base.yml\n      service: base\n",
			"sub/base.yml":   "services:\n  base:\n    image: x\n"},
			"sub/mid.yml has an extends: file: of its own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := deploy(t, tc.files)
			_, err := Load(context.Background(), Options{Dir: dir})
			if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), filepath.ToSlash(dir)+"/", ""), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
	// One level of extends: file: inside the folder works.
	d := load(t, map[string]string{
		"production.yml": "services:\n  django:\n    extends:\n      file: sub/base.yml\n      service: base\n",
		"sub/base.yml":   "services:\n  base:\n    image: x\n    environment:\n      FROM_BASE: yes-base\n",
	})
	if v, _ := d.Services["django"].Get("FROM_BASE"); v != "yes-base" {
		t.Errorf("FROM_BASE = %q, want the extended service's value", v)
	}
}
