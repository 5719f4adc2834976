// Package scaffold starts docsgen projects: a working starter site
// (docsgen init) and a docsgen.yaml read from a Sphinx conf.py (docsgen
// init --from-sphinx), never overwriting a file.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// File is one file a scaffold writes, relative to the project folder.
type File struct {
	Path string // slash-separated
	Data []byte
}

// Starter is a site that builds cleanly: a config, a home page whose
// toctree lists a second page, and a .gitignore for the output.
func Starter(title string) []File {
	return []File{
		{"docsgen.yaml", []byte("# docsgen's settings: see the README's docsgen.yaml section.\ntitle: " + yamlString(title) + "\n")},
		{".gitignore", []byte(GitIgnore)},
		{"content/index.md", []byte("# " + title + `

Welcome. Write pages in MyST Markdown under ` + "`content/`" + ` and list them in the
toctree below: it is the site's navigation.

` + "```{toctree}\n:maxdepth: 2\n\ngetting-started\n```\n")},
		{"content/getting-started.md", []byte(`# Getting started

Preview the site while you write:

` + "```sh\ndocsgen serve\n```" + `

Build it into ` + "`public/`" + `, failing on any warning, as CI should:

` + "```sh\ndocsgen build --strict\ndocsgen linkcheck\n```" + `

` + "```{tip}\nLink to other pages with [their file name](index.md) or {doc}`index`.\n```\n")},
	}
}

// GitIgnore keeps the build output and the link cache out of git.
const GitIgnore = "/public/\n/.docsgen/\n"

func yamlString(s string) string {
	return fmt.Sprintf("%q", s) // a JSON-style quoted string is valid YAML
}

// ErrExists is returned, wrapped with the file's name, when a scaffold
// would overwrite a file.
var ErrExists = errors.New("already exists; docsgen init never overwrites a file")

// Write creates files under dir (made if missing), or none of them when
// one already exists (a symlink, even a dangling one, counts). skip names
// files to leave out silently when they exist (a .gitignore the project
// already has). It returns the paths written.
func Write(dir string, files []File, skip ...string) ([]string, error) {
	var todo []File
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(p); err == nil {
			if slices.Contains(skip, f.Path) {
				continue
			}
			return nil, fmt.Errorf("%s: %w", p, ErrExists)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		todo = append(todo, f)
	}
	var written []string
	for _, f := range todo {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, err
		}
		// O_EXCL: a file that appeared since the check is not replaced.
		fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, err
		}
		_, err = fh.Write(f.Data)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}
