package cachedir

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
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
// On disk it is a header (magic, the version, the number of chunks) and
// then each chunk, its length first: a gob stream of entry names and values
// encoded apart from the others, followed by its CRC-32C. So the chunks
// are written and read on every core, a reader stops at a version it does
// not want, it never holds the whole file in memory, and a chunk is read
// into its buffer at once (the records are mostly bytes: as a gob value of
// its own, each chunk was copied once more, a sixth of a warm build's CPU
// at 10,000 pages).
type Store[T any] struct {
	root    *os.Root
	file    string // below root
	version string

	mu   sync.Mutex
	old  map[string]T // what Take has not taken yet
	held int          // entries the file held
	// chunkSize is the largest full chunk read or encoded so far: the
	// size an encoded chunk's buffer starts at (grown by doubling from
	// nothing, each chunk's bytes were copied about twice more, 15 % of a
	// one-page-edit build's CPU at 10,000 pages).
	chunkSize atomic.Int64
	kept      map[string]T
	changed   bool
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
	r := bufio.NewReaderSize(io.LimitReader(f, size), 1<<16)
	chunks, ok := readHeader(r, version)
	if !ok {
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
			n, err := binary.ReadUvarint(r)
			if err != nil || n > uint64(size) {
				readFailed = true
				return
			}
			chunk := make([]byte, n)
			if int64(n) > s.chunkSize.Load() {
				s.chunkSize.Store(int64(n))
			}
			if _, err := io.ReadFull(r, chunk); err != nil {
				readFailed = true
				return
			}
			work <- chunk
		}
		// A damaged count would read some chunks and leave others.
		if _, err := r.ReadByte(); err != io.EOF {
			readFailed = true
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

// magic starts a store file of this layout; files of another (an older
// docsgen's gob stream) read as empty.
const magic = "docsgen-store-1\n"

// maxVersion bounds the version string a header may claim (a binary's
// whole build information is a few kilobytes).
const maxVersion = 1 << 20

func readHeader(r *bufio.Reader, version string) (chunks int, ok bool) {
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		return 0, false
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > maxVersion {
		return 0, false
	}
	v := make([]byte, n)
	if _, err := io.ReadFull(r, v); err != nil || string(v) != version {
		return 0, false
	}
	c, err := binary.ReadUvarint(r)
	if err != nil || c > 1<<24 {
		return 0, false
	}
	return int(c), true
}

func appendHeader(b []byte, version string, chunks int) []byte {
	b = append(b, magic...)
	b = binary.AppendUvarint(b, uint64(len(version)))
	b = append(b, version...)
	return binary.AppendUvarint(b, uint64(chunks))
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
	// done, so only those encoded ahead of the writer are held. Their
	// buffers go round once written: new ones touch fresh memory (page
	// faults, clearing). When no file was read to size them from, the
	// first chunk is encoded first and sizes the rest (grown by doubling
	// from nothing, they cost a second of CPU for a 50 MB file).
	type encoded struct {
		data []byte
		err  error
	}
	n := (len(keys) + chunkEntries - 1) / chunkEntries
	keysOf := func(c int) []string { return keys[c*chunkEntries : min(len(keys), (c+1)*chunkEntries)] }
	done := make([]chan encoded, n)
	for c := range done {
		done[c] = make(chan encoded, 1)
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	free := make(chan []byte, workers+1)
	var next atomic.Int64
	if n > 0 && s.chunkSize.Load() == 0 {
		data, err := s.encodeChunk(keysOf(0), nil)
		done[0] <- encoded{data, err}
		next.Store(1)
	}
	for range workers {
		go func() {
			for c := int(next.Add(1) - 1); c < n; c = int(next.Add(1) - 1) {
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				data, err := s.encodeChunk(keysOf(c), buf)
				done[c] <- encoded{data, err}
			}
		}()
	}
	return WriteFileFunc(s.root, s.file, func(w io.Writer) error {
		_, err := w.Write(appendHeader(nil, s.version, n))
		for c := range done {
			// Every chunk is waited for, so no encoder is left behind.
			chunk := <-done[c]
			if err == nil {
				err = chunk.err
			}
			if err == nil {
				_, err = w.Write(binary.AppendUvarint(nil, uint64(len(chunk.data))))
			}
			if err == nil {
				_, err = w.Write(chunk.data)
			}
			select {
			case free <- chunk.data:
			default:
			}
		}
		return err
	})
}

// encodeChunk encodes the entries of keys into buf (nil for a new one).
func (s *Store[T]) encodeChunk(keys []string, buf []byte) ([]byte, error) {
	want := int(s.chunkSize.Load()*int64(len(keys))/chunkEntries) + 4096
	if cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	b := bytes.NewBuffer(buf[:0])
	enc := gob.NewEncoder(b)
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
	// Full chunks only: one large entry in a short last chunk, scaled up,
	// would size every later buffer (a race between two encoders only
	// sizes a buffer).
	if size := int64(b.Len()); len(keys) == chunkEntries && size > s.chunkSize.Load() {
		s.chunkSize.Store(size)
	}
	return binary.LittleEndian.AppendUint32(b.Bytes(), crc32.Checksum(b.Bytes(), crcTable)), nil
}
