package diag

// Suggestions for references and names with a likely typo: Closest finds
// the intended name, DidYouMean words it.

// Closest returns the candidate nearest to want, if near enough to be a
// typo (ties go to the first in the list), else "".
func Closest(want string, candidates []string) string {
	best, bestD := "", max(3, len(want)/3)+1
	for _, c := range candidates {
		if d := Distance(want, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
