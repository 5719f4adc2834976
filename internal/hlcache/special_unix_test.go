//go:build unix

package hlcache

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSpecialShardIsNotOpened: a FIFO where a shard folder or an entry
// should be is a miss at once, never a hang.
func TestSpecialShardIsNotOpened(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	shardKey := c.Key("text", false, 1, nil, "a FIFO for a shard")
	if err := syscall.Mkfifo(filepath.Join(dir, Dir, shardKey[:2]), 0o644); err != nil {
		t.Fatal(err)
	}
	entryKey := c.Key("text", false, 1, nil, "a FIFO for an entry")
	if entryKey[:2] == shardKey[:2] {
		t.Fatal("the two keys share a shard") // keys are fixed: this does not happen
	}
	os.MkdirAll(filepath.Join(dir, Dir, entryKey[:2]), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, Dir, entryKey[:2], entryKey[2:]), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{shardKey, entryKey} {
		done := make(chan bool, 1)
		go func() { _, ok := c.Get(key); done <- ok }()
		select {
		case ok := <-done:
			if ok {
				t.Errorf("Get(%s…) read a FIFO", key[:6])
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("Get(%s…) blocked on a FIFO", key[:6])
		}
	}
}

// TestCloseDuringGets: closing the cache while entries are read fails
// those reads (misses), never reads through a descriptor closed and
// reused meanwhile; run under -race.
func TestCloseDuringGets(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir, testVersion)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i := range 64 {
		k := c.Key("text", false, 1, nil, string(rune('a'+i%26))+string(rune('a'+i/26)))
		c.Put(k, []byte("entry"))
		keys = append(keys, k)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				if data, ok := c.Get(keys[(g+i)%len(keys)]); ok && string(data) != "entry" {
					t.Errorf("read %q", data)
					return
				}
			}
		})
	}
	time.Sleep(time.Millisecond)
	c.Close()
	wg.Wait()
}
