//go:build ignore

// gen.go rebuilds octicons.json and LICENSE from the pinned npm release of
// GitHub's Primer Octicons. Run it from internal/directives with
//
//	go generate ./internal/directives
//
// (npm must be on PATH and the npm registry reachable). It runs
// `npm pack @primer/octicons@VERSION` in a temporary folder, reads
// build/data.json and LICENSE from the tarball, and writes a trimmed JSON:
// icon name → height → {width, path}, sorted, so the output depends only on
// the version.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

type height struct {
	Width int    `json:"width"`
	Path  string `json:"path"`
}

func main() {
	version := flag.String("version", "", "exact @primer/octicons version")
	out := flag.String("out", "octicons", "output folder")
	flag.Parse()
	if *version == "" {
		log.Fatal("-version is required")
	}
	tmp, err := os.MkdirTemp("", "octicons")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("npm", "pack", "--silent", "@primer/octicons@"+*version)
	cmd.Dir, cmd.Stderr = tmp, os.Stderr
	name, err := cmd.Output()
	if err != nil {
		log.Fatalf("npm pack: %v", err)
	}
	files := untar(filepath.Join(tmp, string(bytes.TrimSpace(name))), "package/build/data.json", "package/LICENSE", "package/package.json")
	var pkg struct{ Version string }
	if err := json.Unmarshal(files["package/package.json"], &pkg); err != nil || pkg.Version != *version {
		log.Fatalf("package.json: version %q, want %q (%v)", pkg.Version, *version, err)
	}
	var data map[string]struct {
		Heights map[string]height `json:"heights"`
	}
	if err := json.Unmarshal(files["package/build/data.json"], &data); err != nil {
		log.Fatal(err)
	}
	trimmed := map[string]map[string]height{}
	for name, icon := range data {
		trimmed[name] = icon.Heights
	}
	// One icon a line, in name order, so a version bump diffs readably.
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, name := range slices.Sorted(maps.Keys(trimmed)) {
		if i > 0 {
			b.WriteString(",\n")
		}
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]map[string]height{name: trimmed[name]}); err != nil {
			log.Fatal(err)
		}
		b.Write(bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(v.Bytes()), []byte("{")), []byte("}")))
	}
	b.WriteString("\n}\n")
	write(filepath.Join(*out, "octicons.json"), b.Bytes())
	write(filepath.Join(*out, "LICENSE"), files["package/LICENSE"])
	write(filepath.Join(*out, "VERSION"), []byte(*version+"\n"))
}

func untar(path string, want ...string) map[string][]byte {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		for _, w := range want {
			if h.Name == w {
				if out[w], err = io.ReadAll(tr); err != nil {
					log.Fatal(err)
				}
			}
		}
	}
	for _, w := range want {
		if out[w] == nil {
			log.Fatalf("%s not in %s", w, path)
		}
	}
	return out
}

func write(path string, data []byte) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
}
