package cachedir

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path"
	"runtime"
	"sync"
	"sync/atomic"
)

// Store is one cache file: entries by name, all of one version, read when
// opened and written whole by Save with the entries this run kept. A file
// of another version, damaged or not a regular file reads as empty: a
// cache can only ever cost a recomputation, never fail a run.
//
// On disk it is a gob stream: the version, the number of chunks, then each
// chunk, itself a gob stream of entry names and values encoded apart from
// the others and followed by its CRC-32C, so the chunks are written and read on every core, a reader
// stops at a version it does not want, and it never holds the whole file
// in memory.
type Store[T any] struct {
	root    *os.Root
	file    string // below root
	version string

	mu      sync.Mutex
	old     map[string]T // what Take has not taken yet
	held    int          // entries the file held
	kept    map[string]T
	changed bool
}

// chunkEntries is how many entries a chunk holds, at most.
const chunkEntries = 1024

// NewStore is an empty store that Save writes as the cache file name (in
// Dir) below the project root, for version.
func NewStore[T any](root *os.Root, name, version string) *Store[T] {
	return &Store[T]{root: root, file: path.Join(Dir, name), version: version, kept: map[string]T{}}
}

// OpenStore reads the cache file name (in Dir) below the project root for
// version, reading at most maxSize bytes.
func OpenStore[T any](root *os.Root, name, version string, maxSize int64) *Store[T] {
	s := NewStore[T](root, name, version)
	f, size, err := OpenRegular(root, s.file, maxSize)
	if err != nil {
		return s
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReaderSize(io.LimitReader(f, size), 1<<16))
	var (
		fileVersion string
		chunks      int
	)
	if dec.Decode(&fileVersion) != nil || fileVersion != version || dec.Decode(&chunks) != nil || chunks < 0 {
		return s
	}
	// One goroutine reads the chunks in turn, the others decode them; a
	// few chunks at most are held at once.
	work := make(chan []byte, runtime.GOMAXPROCS(0))
	parts := make(chan map[string]T)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for chunk := range work {
				parts <- decodeChunk[T](chunk)
			}
		})
	}
	readFailed := false
	go func() {
		defer close(work)
		for range chunks {
			var chunk []byte
			if dec.Decode(&chunk) != nil {
				readFailed = true
				return
			}
			work <- chunk
		}
	}()
	go func() { wg.Wait(); close(parts) }()
	old, damaged := map[string]T{}, false
	for part := range parts {
		damaged = damaged || part == nil
		for k, v := range part {
			old[k] = v
		}
	}
	// parts is closed after the workers ended, which was after the reader
	// closed work: readFailed is settled here.
	if !readFailed && !damaged {
		s.old, s.held = old, len(old)
	}
	return s
}

// crcTable checks chunks: a flipped bit inside a value (a search term, a
// file name) would otherwise decode without error.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// decodeChunk is a chunk's entries; nil when it is damaged.
func decodeChunk[T any](chunk []byte) map[string]T {
	if len(chunk) < 4 {
		return nil
	}
	body := chunk[:len(chunk)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(chunk[len(body):]) {
		return nil
	}
	dec := gob.NewDecoder(bytes.NewReader(body))
	var n int
	if dec.Decode(&n) != nil || n < 0 || n > chunkEntries {
		return nil
	}
	entries := make(map[string]T, n)
	for range n {
		var (
			key string
			v   T
		)
		if dec.Decode(&key) != nil || dec.Decode(&v) != nil {
			return nil
		}
		entries[key] = v
	}
	return entries
}

// Take is the entry the file held for key, forgotten by the store as it is
// returned: each is asked for once, and what is not kept again is freed as
// the run goes. Safe for concurrent use.
func (s *Store[T]) Take(key string) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.old[key]
	delete(s.old, key)
	return v, ok
}

// All is every entry the file held that Take has not taken. The map is the
// store's: not to be changed, nor used with Take.
func (s *Store[T]) All() map[string]T { return s.old }

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
	if !s.changed && len(s.kept) == s.held {
		return nil
	}
	keys := make([]string, 0, len(s.kept))
	for k := range s.kept {
		keys = append(keys, k)
	}
	// Chunks are encoded on every core and written in order as each is
	// done, so only those encoded ahead of the writer are held.
	type encoded struct {
		data []byte
		err  error
	}
	n := (len(keys) + chunkEntries - 1) / chunkEntries
	done := make([]chan encoded, n)
	for c := range done {
		done[c] = make(chan encoded, 1)
	}
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), n) {
		go func() {
			for c := int(next.Add(1) - 1); c < n; c = int(next.Add(1) - 1) {
				data, err := s.encodeChunk(keys[c*chunkEntries : min(len(keys), (c+1)*chunkEntries)])
				done[c] <- encoded{data, err}
			}
		}()
	}
	return WriteFileFunc(s.root, s.file, func(w io.Writer) error {
		enc := gob.NewEncoder(w)
		err := errors.Join(enc.Encode(s.version), enc.Encode(n))
		for c := range done {
			// Every chunk is waited for, so no encoder is left behind.
			chunk := <-done[c]
			if err == nil {
				err = chunk.err
			}
			if err == nil {
				err = enc.Encode(chunk.data)
			}
		}
		return err
	})
}

func (s *Store[T]) encodeChunk(keys []string) ([]byte, error) {
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(len(keys)); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if err := enc.Encode(k); err != nil {
			return nil, err
		}
		if err := enc.Encode(s.kept[k]); err != nil {
			return nil, err
		}
	}
	return binary.LittleEndian.AppendUint32(buf.Bytes(), crc32.Checksum(buf.Bytes(), crcTable)), nil
}
