package config

import (
	"os"
	"path/filepath"
)

// Find returns the nearest docsgen.yaml in start or a folder above it, as
// git finds its repository, or "" when there is none up to the file
// system's root. start need not exist yet below the last folder that does.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, FileName)
		// Lstat: a docsgen.yaml that is a pipe or a symlink is still the
		// project's config; Load then refuses it with its reason. A folder
		// that cannot be looked into (or a path through a file) holds none.
		if _, err := os.Lstat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Overrides are paths given on the command line (absolute): they win over
// the config file's, on every reload too. Empty fields override nothing.
type Overrides struct {
	Source, Out string
	// Dir is the project folder when there is no config file to say it.
	Dir string
}

// Apply sets the overridden paths and keeps them for Reload.
func (c *Config) Apply(o Overrides) {
	if o.Source != "" {
		c.Source = o.Source
	}
	if o.Out != "" {
		c.Out = o.Out
	}
	if o.Dir != "" && c.File == "" {
		c.Dir = o.Dir
	}
	c.overrides = o
}

// Reload reads the config file again (after an edit) with the same
// command-line overrides.
func (c *Config) Reload() (*Config, error) {
	n, err := Load(c.File)
	if err != nil {
		return nil, err
	}
	n.Apply(c.overrides)
	return n, nil
}
