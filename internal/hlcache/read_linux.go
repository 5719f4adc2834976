package hlcache

import (
	"os"
	"syscall"

	"github.com/docsgen/docsgen/internal/safefile"
)

// readEntry reads the entry name in the shard folder through that
// folder's descriptor, opened once: a build reads an entry for each of
// its thousands of code blocks, and below the root each read opened the
// shard folder, then the file, registered with the poller.
func (c *Cache) readEntry(shard, name string) ([]byte, error) {
	dir, err := c.shardDir(shard)
	if err != nil {
		return nil, err
	}
	return safefile.ReadIn(dir, name, maxEntrySize)
}

// shardDir is the shard folder name, opened below the root once. It is
// opened as a folder only and without blocking: a FIFO of that name
// fails at once instead of hanging the build.
func (c *Cache) shardDir(name string) (*os.File, error) {
	if d, ok := c.dirs.Load(name); ok {
		return d.(*os.File), nil
	}
	d, err := c.root.OpenFile(name, os.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		d.Close()
		return nil, os.ErrClosed
	}
	if held, loaded := c.dirs.LoadOrStore(name, d); loaded {
		d.Close()
		return held.(*os.File), nil
	}
	return d, nil
}
