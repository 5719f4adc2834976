// Command gencorpus writes the benchmark corpus (see package corpus):
//
//	go run ./bench/gencorpus -n 1000 -out /tmp/corpus
//
// writes /tmp/corpus/{docsgen,sphinx,hugo}.
package main

import (
	"flag"
	"log"
	"strings"

	"github.com/docsgen/docsgen/bench/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of content pages")
	out := flag.String("out", "corpus", "output folder")
	flavours := flag.String("flavours", strings.Join(corpus.Flavours, ","), "comma-separated: docsgen, sphinx, hugo")
	flag.Parse()
	if err := corpus.Write(*out, *n, strings.Split(*flavours, ",")...); err != nil {
		log.Fatal(err)
	}
}
