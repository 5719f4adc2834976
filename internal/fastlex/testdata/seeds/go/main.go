// Package main is a seed.
package main

import (
	"fmt"
	"strings"
)

type T[K comparable, V any] struct {
	m map[K]V
	c chan<- int
}

func (t *T[K, V]) Get(k K) (V, bool) { v, ok := t.m[k]; return v, ok }

func main() {
	s := `raw {{.Field}} string`
	r := 'x' + '\n' + '\u00e9'
	n := 0x1p-2 + 1_000i + 0o17 + 0b1
	/* block
	comment */
	fmt.Println(strings.ToUpper(s), r, n, len("ü\"t"))
	go func() { defer recover() }()
	select {}
}
