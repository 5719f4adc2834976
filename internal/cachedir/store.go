package cachedir

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"io"
	"os"
	"path"
	"sync"
)

// Store is one cache file: entries by name, all of one version, read when
// opened and written whole by Save with the entries this run kept. A file
// of another version, damaged or not a regular file reads as empty: a
// cache can only ever cost a recomputation, never fail a run.
//
// On disk it is a gob stream: the version, the number of entries, then each
// entry's name and value, so a reader stops at a version it does not want
// and never holds the whole file in memory.
type Store[T any] struct {
	root    *os.Root
	file    string // below root
	version string
	old     map[string]T

	mu      sync.Mutex
	kept    map[string]T
	changed bool
}

// OpenStore reads the cache file name (in Dir) below the project root for
// version, reading at most maxSize bytes.
func OpenStore[T any](root *os.Root, name, version string, maxSize int64) *Store[T] {
	s := &Store[T]{root: root, file: path.Join(Dir, name), version: version, kept: map[string]T{}}
	f, size, err := OpenRegular(root, s.file, maxSize)
	if err != nil {
		return s
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReaderSize(io.LimitReader(f, size), 1<<16))
	var (
		fileVersion string
		n           int
	)
	if dec.Decode(&fileVersion) != nil || fileVersion != version || dec.Decode(&n) != nil || n < 0 {
		return s
	}
	old := make(map[string]T, min(n, 1<<20))
	for range n {
		var (
			key string
			v   T
		)
		if dec.Decode(&key) != nil || dec.Decode(&v) != nil {
			return s
		}
		old[key] = v
	}
	s.old = old
	return s
}

// Old is the entry the file held for key. Safe for concurrent use.
func (s *Store[T]) Old(key string) (T, bool) {
	v, ok := s.old[key]
	return v, ok
}

// Keep keeps v for key in what Save writes; changed says it is not the entry
// the file held. Safe for concurrent use.
func (s *Store[T]) Keep(key string, v T, changed bool) {
	s.mu.Lock()
	s.kept[key] = v
	s.changed = s.changed || changed
	s.mu.Unlock()
}

// Each calls fn with every entry kept so far.
func (s *Store[T]) Each(fn func(key string, v T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.kept {
		fn(k, v)
	}
}

// Save writes the entries kept as the file, unless they are exactly what it
// held: entries not kept this run go.
func (s *Store[T]) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.changed && len(s.kept) == len(s.old) {
		return nil
	}
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(s.version); err != nil {
		return err
	}
	if err := enc.Encode(len(s.kept)); err != nil {
		return err
	}
	for k, v := range s.kept {
		if err := enc.Encode(k); err != nil {
			return err
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return WriteFile(s.root, s.file, buf.Bytes())
}
