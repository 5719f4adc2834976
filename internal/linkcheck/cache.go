package linkcheck

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Cache remembers URLs that answered OK, so the next run does not ask
// again. Failures are never cached as OK: a failing URL's entry is removed.
type Cache struct {
	path    string
	ttl     time.Duration
	now     func() time.Time
	rand    func() float64
	mu      sync.Mutex
	entries map[string]CacheEntry
}

// CacheEntry is one URL's last good check.
type CacheEntry struct {
	Checked time.Time `json:"checked"`
	Expires time.Time `json:"expires"`
	Status  int       `json:"status"`
	// Anchors are the page's ids, when the page was read for fragments.
	Anchors []string `json:"anchors,omitempty"`
}

type cacheFile struct {
	Version int                   `json:"version"`
	Entries map[string]CacheEntry `json:"entries"`
}

// LoadCache reads the cache at path (a missing file is an empty cache).
// Entries last ttl ± 20%, so re-checks spread across runs.
func LoadCache(path string, ttl time.Duration, now func() time.Time, rnd func() float64) (*Cache, error) {
	if rnd == nil {
		rnd = rand.Float64
	}
	c := &Cache{path: path, ttl: ttl, now: now, rand: rnd, entries: map[string]CacheEntry{}}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil || f.Version != 1 {
		// A damaged cache costs only requests: start afresh.
		return c, nil
	}
	if f.Entries != nil {
		c.entries = f.Entries
	}
	return c, nil
}

// Get returns a fresh entry for url.
func (c *Cache) Get(url string) (CacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[url]
	return e, ok && c.now().Before(e.Expires)
}

// PutOK records a good answer.
func (c *Cache) PutOK(url string, status int, anchors []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now().UTC().Truncate(time.Second)
	jitter := time.Duration((c.rand()*0.4 - 0.2) * float64(c.ttl))
	c.entries[url] = CacheEntry{Checked: now, Expires: now.Add(c.ttl + jitter), Status: status, Anchors: anchors}
}

// Fail forgets url, so it is checked again next time.
func (c *Cache) Fail(url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, url)
}

// Save writes the cache atomically, keys sorted (encoding/json sorts maps).
func (c *Cache) Save() error {
	c.mu.Lock()
	data, err := json.MarshalIndent(cacheFile{Version: 1, Entries: c.entries}, "", "  ")
	c.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".linkcache-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving the link cache: %w", err)
	}
	return nil
}
