package deployenv

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// mapValue returns the value node of key in a mapping node, following merge
// keys (<<) the way YAML does: keys written in the mapping win. own reports
// whether the key is written in n itself.
func mapValue(n *yaml.Node, key string) (v *yaml.Node, own bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, false
	}
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Value == key && k.Tag != "!!merge" {
			return val, true
		}
		if k.Value == "<<" || k.Tag == "!!merge" {
			if val = deref(val); val != nil && val.Kind == yaml.SequenceNode {
				merged = append(merged, val.Content...)
			} else {
				merged = append(merged, val)
			}
		}
	}
	for _, m := range merged {
		if v, _ := mapValue(m, key); v != nil {
			return v, false
		}
	}
	return nil, false
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return deref(n.Content[0])
	}
	return n
}

// serviceNode is a service's definition in production.yml.
type serviceNode struct {
	line int // the line of the service's name
	node *yaml.Node
}

// serviceNodes returns each service's mapping node in production.yml.
func serviceNodes(root *yaml.Node) map[string]serviceNode {
	out := map[string]serviceNode{}
	services, _ := mapValue(root, "services")
	services = deref(services)
	if services == nil || services.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(services.Content); i += 2 {
		out[services.Content[i].Value] = serviceNode{line: services.Content[i].Line, node: services.Content[i+1]}
	}
	return out
}

// envEntry is one entry of a service's environment: section as written.
type envEntry struct {
	Line int
	Raw  string
	Bare bool // KEY with no value: inherited
}

// rawEnvironment reads a service's environment: entries (own or merged).
func rawEnvironment(svc *yaml.Node) (map[string]envEntry, bool) {
	env, own := mapValue(svc, "environment")
	env = deref(env)
	out := map[string]envEntry{}
	if env == nil {
		return out, false
	}
	switch env.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(env.Content); i += 2 {
			k, v := env.Content[i], deref(env.Content[i+1])
			e := envEntry{Line: k.Line}
			if v == nil || v.Tag == "!!null" {
				e.Bare = true
			} else {
				e.Raw = v.Value
			}
			out[k.Value] = e
		}
	case yaml.SequenceNode:
		for _, item := range env.Content {
			k, v, ok := strings.Cut(item.Value, "=")
			out[k] = envEntry{Line: item.Line, Raw: v, Bare: !ok}
		}
	}
	return out, own
}

// merges returns the anchors a service node merges, in order: one for
// <<: *a, several for <<: [*a, *b].
func merges(svc *yaml.Node) []string {
	if svc == nil || svc.Kind != yaml.MappingNode {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(svc.Content); i += 2 {
		if k := svc.Content[i]; k.Value == "<<" || k.Tag == "!!merge" {
			switch v := svc.Content[i+1]; v.Kind {
			case yaml.AliasNode:
				out = append(out, v.Value)
			case yaml.SequenceNode:
				for _, a := range v.Content {
					if a.Kind == yaml.AliasNode {
						out = append(out, a.Value)
					}
				}
			}
		}
	}
	return out
}

func classify(rel string) string {
	switch {
	case rel == StackFile:
		return LayerStack
	case strings.HasPrefix(rel, ConfigDir+"/"):
		return LayerConfig
	}
	return LayerEnvFile
}

func (d *Deployment) rel(p string) string {
	abs, err := filepath.Abs(d.Dir)
	if err != nil {
		return p
	}
	if r, err := filepath.Rel(abs, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}

type fileKeys struct {
	rel   string
	lines map[string]int
}

func (d *Deployment) resolveService(name string, sc types.ServiceConfig, sn serviceNode) *Service {
	node := sn.node
	s := &Service{Name: name, Vars: map[string]*Var{}, Config: sc, Merges: merges(node), Line: sn.line}
	if len(s.Merges) > 0 {
		s.MergedFrom = s.Merges[0]
	}
	if node != nil {
		s.Anchor = node.Anchor
		for i := 0; i+1 < len(node.Content); i += 2 {
			if k := node.Content[i].Value; k != "<<" {
				s.OwnKeys = append(s.OwnKeys, k)
			}
		}
	}
	var files []fileKeys
	for _, ef := range sc.EnvFiles {
		rel := d.rel(ef.Path)
		s.EnvFiles = append(s.EnvFiles, rel)
		if _, ok := d.envData[absPath(ef.Path)]; !ok {
			continue // optional and absent (a required one failed the load)
		}
		files = append(files, fileKeys{rel: rel, lines: d.keyLines(absPath(ef.Path))})
	}
	raw, _ := rawEnvironment(node)
	for key, val := range sc.Environment {
		if val == nil {
			s.Unset = append(s.Unset, key)
			continue
		}
		v := &Var{Name: key, Value: *val}
		var fromFiles []Origin
		for i := len(files) - 1; i >= 0; i-- {
			if line, ok := files[i].lines[key]; ok {
				fromFiles = append(fromFiles, Origin{Layer: classify(files[i].rel), File: files[i].rel, Line: line})
			}
		}
		if e, ok := raw[key]; ok {
			v.Origin = Origin{Layer: LayerCompose, File: ComposeFile, Line: e.Line}
			v.Raw = e.Raw
			v.Origin.Via = d.via(key, e)
			v.Overrode = fromFiles
		} else if len(fromFiles) > 0 {
			v.Origin, v.Overrode = fromFiles[0], fromFiles[1:]
		} else {
			v.Origin = Origin{Layer: "image or compose default"}
		}
		s.Vars[key] = v
	}
	slices.Sort(s.Unset)
	return s
}

// via explains where a production.yml value that refers to other variables
// got them.
func (d *Deployment) via(key string, e envEntry) string {
	if e.Bare {
		if iv, ok := d.Interp[key]; ok {
			return "inherited from " + source(iv.Origin)
		}
		return ""
	}
	var parts []string
	for _, r := range references([]string{e.Raw}) {
		iv, ok := d.Interp[r.Name]
		switch {
		case !ok && r.HasDefault:
			parts = append(parts, "${"+r.Name+"} unset, its default used")
		case !ok:
			parts = append(parts, "${"+r.Name+"} is unset: empty")
		default:
			parts = append(parts, "${"+r.Name+"} from "+source(iv.Origin))
		}
	}
	return strings.Join(parts, "; ")
}

// source names where an interpolation value came from.
func source(o Origin) string {
	if o.File == "" {
		return "the " + o.Layer
	}
	return strings.TrimPrefix(originAt(o), " ")
}

func originAt(o Origin) string {
	if o.File == "" {
		return ""
	}
	if o.Line > 0 {
		return fmt.Sprintf(" %s:%d", o.File, o.Line)
	}
	return " " + o.File
}

// notes records where reality differs from the guide's simple precedence list.
func (d *Deployment) notes() {
	main := d.Services[d.Main]
	seen := map[string]bool{}
	for _, name := range main.Names() {
		v := main.Vars[name]
		if v.Origin.Layer != LayerCompose {
			continue
		}
		for _, r := range references([]string{v.Raw}) {
			iv, ok := d.Interp[r.Name]
			if !ok || iv.Origin.Layer != LayerSystem || len(iv.Overrode) == 0 || seen[r.Name] {
				continue
			}
			seen[r.Name] = true
			d.Notes = append(d.Notes, fmt.Sprintf("%s: the system environment beats stack.env (line %d) here, because production.yml uses ${%s} (line %d); the guide lists the system environment last",
				r.Name, iv.Overrode[0].Line, r.Name, v.Origin.Line))
		}
	}
	listed := map[string]bool{}
	for _, s := range d.Services {
		for _, f := range s.EnvFiles {
			listed[f] = true
		}
	}
	configs, _ := filepath.Glob(filepath.Join(d.Dir, ConfigDir, "*.env"))
	slices.Sort(configs)
	for _, c := range configs {
		rel := d.rel(mustAbs(c))
		if !listed[rel] {
			d.Notes = append(d.Notes, rel+" is not listed under env_file: by any service, so its variables never reach a container")
		}
	}
	stackAt := slices.Index(main.EnvFiles, StackFile)
	if stackAt < 0 {
		d.Notes = append(d.Notes, main.Name+" does not list stack.env under env_file:, so only the variables production.yml references reach it")
	} else {
		for _, f := range main.EnvFiles[stackAt+1:] {
			if classify(f) == LayerConfig {
				d.Notes = append(d.Notes, fmt.Sprintf("%s lists %s after stack.env under env_file:, so %s wins where both set a variable (the guide puts stack.env above deploy/config)", main.Name, f, f))
			}
		}
	}
}

func mustAbs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
