//go:build ignore

// gen.go rebuilds icons.txt.gz, LICENSE and VERSION from the pinned npm
// release of @material-design-icons/svg, Google's Material Icons as SVG
// files (24px designs, optimised with svgo). Run it from internal/directives
// with
//
//	go generate ./internal/directives
//
// (npm must be on PATH and the npm registry reachable). It runs
// `npm pack @material-design-icons/svg@VERSION` in a temporary folder and
// keeps, for every icon, only what is inside each style's <svg> element.
// icons.txt (gzipped) holds one icon a line, in name order:
//
//	name TAB regular TAB outlined TAB round TAB sharp TAB twotone
//
// where a style drawn exactly like the regular one is "=" and a missing
// style is empty. The gzip header has no name or time, so the output
// depends only on the version (and Go's compressor).
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
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// styles are sphinx-design's role suffixes with the package's folder for each.
var styles = []struct{ role, folder string }{
	{"regular", "filled"}, {"outlined", "outlined"}, {"round", "round"}, {"sharp", "sharp"}, {"twotone", "two-tone"},
}

// svgRe matches a whole file: a 24×24 <svg> element and its content.
var svgRe = regexp.MustCompile(`^<svg xmlns="http://www.w3.org/2000/svg"(?: xmlns:xlink="http://www.w3.org/1999/xlink")? width="24" height="24"(?: baseProfile="tiny")? viewBox="0 0 24 24">(.*)</svg>\s*$`)

func main() {
	version := flag.String("version", "", "exact @material-design-icons/svg version")
	out := flag.String("out", "materialicons", "output folder")
	flag.Parse()
	if *version == "" {
		log.Fatal("-version is required")
	}
	tmp, err := os.MkdirTemp("", "materialicons")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("npm", "pack", "--silent", "@material-design-icons/svg@"+*version)
	cmd.Dir, cmd.Stderr = tmp, os.Stderr
	name, err := cmd.Output()
	if err != nil {
		log.Fatalf("npm pack: %v", err)
	}
	files := untar(filepath.Join(tmp, string(bytes.TrimSpace(name))))
	var pkg struct{ Version string }
	if err := json.Unmarshal(files["package/package.json"], &pkg); err != nil || pkg.Version != *version {
		log.Fatalf("package.json: version %q, want %q (%v)", pkg.Version, *version, err)
	}
	if files["package/LICENSE"] == nil {
		log.Fatal("no LICENSE in the package")
	}
	icons := map[string][]string{} // name → one inner SVG per style
	for file, data := range files {
		dir, base := path.Split(file)
		i := slices.IndexFunc(styles, func(s struct{ role, folder string }) bool { return dir == "package/"+s.folder+"/" })
		if i < 0 || !strings.HasSuffix(base, ".svg") {
			continue
		}
		m := svgRe.FindSubmatch(data)
		if m == nil || bytes.ContainsAny(m[1], "\t\n") {
			log.Fatalf("%s: not a single-line 24×24 SVG", file)
		}
		icon := strings.TrimSuffix(base, ".svg")
		if icons[icon] == nil {
			icons[icon] = make([]string, len(styles))
		}
		icons[icon][i] = uniqueIDs(string(m[1]), "sd-mi-"+styles[i].role+"-"+icon+"-")
	}
	var b bytes.Buffer
	for _, icon := range slices.Sorted(maps.Keys(icons)) {
		b.WriteString(icon)
		for i, svg := range icons[icon] {
			if i > 0 && svg != "" && svg == icons[icon][0] {
				svg = "="
			}
			b.WriteString("\t" + svg)
		}
		b.WriteString("\n")
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(b.Bytes()); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	write(filepath.Join(*out, "icons.txt.gz"), gz.Bytes())
	write(filepath.Join(*out, "LICENSE"), files["package/LICENSE"])
	write(filepath.Join(*out, "VERSION"), []byte(*version+"\n"))
	log.Printf("%d icons, %d bytes (%d gzipped)", len(icons), b.Len(), gz.Len())
}

var idRe = regexp.MustCompile(`(\bid="|#)([A-Za-z][\w-]*)\b`)

// uniqueIDs prefixes the element ids an icon defines (and its references
// to them), so two icons inlined in one page cannot clash.
func uniqueIDs(svg, prefix string) string {
	if !strings.Contains(svg, ` id="`) {
		return svg
	}
	return idRe.ReplaceAllString(svg, "${1}"+prefix+"${2}")
}

// untar reads every regular file of a .tgz.
func untar(file string) map[string][]byte {
	f, err := os.Open(file)
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
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if out[h.Name], err = io.ReadAll(tr); err != nil {
			log.Fatal(err)
		}
	}
	return out
}

func write(file string, data []byte) {
	if err := os.WriteFile(file, data, 0o644); err != nil {
		log.Fatal(err)
	}
}
