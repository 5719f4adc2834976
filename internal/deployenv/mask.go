package deployenv

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// secretWords mark a variable name as holding a secret wherever they appear in it.
var secretWords = []string{"SECRET", "PASSWORD", "TOKEN", "KEY", "DSN", "BASIC_AUTH", "CREDENTIAL"}

// secretSuffixes mark a name as a secret only at its end: DB_PASS and
// SMTP_PWD are passwords, PASSENGER_COUNT is not.
var secretSuffixes = []string{"PASS", "PASSWD", "PWD", "PRIVATE", "CREDENTIALS"}

// notSecret are names that end like a secret but are the shell's working
// directories.
var notSecret = []string{"PWD", "OLDPWD"}

// IsSecret reports whether a variable's value must not be shown.
func IsSecret(name string) bool {
	upper := strings.ToUpper(name)
	if slices.Contains(notSecret, upper) {
		return false
	}
	for _, w := range secretWords {
		if strings.Contains(upper, w) {
			return true
		}
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(upper, s) {
			return true
		}
	}
	return false
}

// Masked is what the output shows instead of a secret.
const Masked = "********"

// Mask returns value fit to print: secrets are replaced, and credentials
// inside a value (see MaskValue) are hidden whatever the name.
func Mask(name, value string) string {
	if value == "" {
		return ""
	}
	if IsSecret(name) {
		return Masked
	}
	return MaskValue(value)
}

// MaskValue hides the credentials a value carries in any of the shapes
// connection strings take: a URL's password (postgres://u:pw@db), a
// credential parameter (jdbc:…?password=pw, libpq's host=db password=pw,
// Server=db;Password=pw) and user:pw@host written without a scheme.
func MaskValue(value string) string {
	out, _ := maskValue(value)
	return out
}

// maskValue is MaskValue that also returns the credentials it hid, so that a
// Masker can hide them wherever else they appear.
func maskValue(value string) (string, []string) {
	var found []string
	v := maskURL(value, &found)
	v = maskParams(v, &found)
	v = maskBareUserinfo(v, &found)
	return v, found
}

// MaskURL hides the password in a URL-like value.
func MaskURL(value string) string { return maskURL(value, nil) }

func maskURL(value string, found *[]string) string {
	if !strings.Contains(value, "://") || !strings.Contains(value, "@") {
		return value
	}
	note := func(s string) {
		if found != nil && s != "" {
			*found = append(*found, s)
		}
	}
	u, err := url.Parse(value)
	if err != nil || u.User == nil {
		// Unparseable (often because of ${...} or odd characters): hide
		// everything between the scheme and the last @.
		scheme, rest, _ := strings.Cut(value, "://")
		at := strings.LastIndex(rest, "@")
		if at < 0 {
			return value
		}
		note(rest[:at])
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
			note(pw)
		}
		return scheme + "://" + Masked + rest[at:]
	}
	if _, hasPw := u.User.Password(); hasPw {
		scheme, rest, _ := strings.Cut(value, "://")
		at := strings.LastIndex(rest, "@")
		user, pw, _ := strings.Cut(rest[:at], ":")
		note(pw)
		if dec, err := url.PathUnescape(pw); err == nil {
			note(dec)
		}
		return scheme + "://" + user + ":" + Masked + rest[at:]
	}
	return value
}

// credParam is a key=value pair whose key names a credential, after the
// start of the value, a space, ?, & or ;. The key has to end with the word,
// so user=… and host=… stay visible while db_password=… and X-Amz-Signature=…
// are hidden.
const credKey = `(?i)(^|[\s?&;])([A-Za-z0-9_.\-]*?(?:password|passwd|passphrase|pass|pwd|secret|token|key|sig|signature|credentials?|auth))(\s*=\s*)`

var (
	// A URL query or a libpq string: the value ends at a space, & ; or #.
	credParamRe = regexp.MustCompile(credKey + `('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;#]*)`)
	// A semicolon list (Server=db;Password=a b;): values may hold spaces.
	credSemiRe = regexp.MustCompile(credKey + `('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^;]*)`)
)

func maskParams(value string, found *[]string) string {
	if !strings.Contains(value, "=") {
		return value
	}
	re := credParamRe
	if strings.Contains(value, ";") && !strings.Contains(value, "://") {
		re = credSemiRe
	}
	return re.ReplaceAllStringFunc(value, func(m string) string {
		sub := re.FindStringSubmatch(m)
		if sub[4] == "" || sub[4] == Masked {
			return m
		}
		if found != nil {
			*found = append(*found, sub[4], strings.Trim(sub[4], `'"`))
		}
		return sub[1] + sub[2] + sub[3] + Masked
	})
}

var (
	tokenRe     = regexp.MustCompile(`\S+`)
	userinfoRe  = regexp.MustCompile(`^([^:@/]+):(.+)@([A-Za-z0-9_\[][^@]*)$`)
	notUserinfo = []string{"mailto"}
)

// maskBareUserinfo hides pw in user:pw@host written without a scheme
// (app:pw@db:5432/app), a shape some brokers and CLIs accept.
func maskBareUserinfo(value string, found *[]string) string {
	if !strings.Contains(value, "@") || !strings.Contains(value, ":") {
		return value
	}
	return tokenRe.ReplaceAllStringFunc(value, func(tok string) string {
		if strings.Contains(tok, "://") {
			return tok
		}
		m := userinfoRe.FindStringSubmatch(tok)
		if m == nil || m[2] == Masked || slices.Contains(notUserinfo, strings.ToLower(m[1])) {
			return tok
		}
		if found != nil {
			*found = append(*found, m[2])
		}
		return m[1] + ":" + Masked + "@" + m[3]
	})
}

// Masker masks known values wherever they appear, including in variables
// whose names do not look secret (MINIO_ROOT_USER set to the same value as
// MINIO_ROOT_PASSWORD, say) and in free text such as messages.
type Masker struct {
	values []string
	r      *strings.Replacer // built on first use
	// words are pieces of values (see addWords), masked where they stand
	// as a whole word.
	words map[string]bool
	// owners are the secret variables each value belongs to: the first
	// name in sort order, so output does not depend on map order.
	owners map[string]string
}

// minMasked is the shortest value a Masker replaces: shorter ones ("1",
// "yes") would garble every message and are no secrets.
const minMasked = 4

func (m *Masker) add(v string) {
	if len(v) < minMasked {
		return
	}
	m.values = append(m.values, v)
	// A multi-line value may be quoted one line at a time.
	if strings.Contains(v, "\n") {
		for _, l := range strings.Split(v, "\n") {
			if l = strings.TrimSpace(l); len(l) >= minMasked {
				m.values = append(m.values, l)
			}
		}
	}
	m.r = nil
}

// isWordChar reports whether r belongs to a word: the pieces a program
// splits a value into (host:port, a,b, user@host) are runs of these.
func isWordChar(r rune) bool {
	return r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80
}

// addWords records v and its words, for text that may quote a piece of a
// value (Compose reports "Invalid ip address: X" for one part of a port
// mapping).
func (m *Masker) addWords(v string) {
	m.add(v)
	for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !isWordChar(r) }) {
		if len(w) >= minMasked {
			if m.words == nil {
				m.words = map[string]bool{}
			}
			m.words[w] = true
		}
	}
}

// addVar records what a variable holds that must not be shown: its value
// if the name is a secret's, and the credentials inside it in any case.
func (m *Masker) addVar(name, value string) {
	if IsSecret(name) {
		m.add(value)
		if len(value) >= minMasked {
			if m.owners == nil {
				m.owners = map[string]string{}
			}
			if o, ok := m.owners[value]; !ok || name < o {
				m.owners[value] = name
			}
		}
	}
	_, creds := maskValue(value)
	for _, c := range creds {
		m.add(c)
	}
}

// NewMasker collects the secret values of s.
func NewMasker(s *Service) *Masker {
	m := &Masker{}
	for name, v := range s.Vars {
		m.addVar(name, v.Value)
	}
	return m
}

// Masker collects the secrets of every service and of the interpolation
// environment (stack.env and the system), for output that is not about one
// service's variables: check findings, notes.
func (d *Deployment) Masker() *Masker {
	m := &Masker{}
	for _, s := range d.Services {
		for name, v := range s.Vars {
			m.addVar(name, v.Value)
		}
	}
	for name, v := range d.Interp {
		m.addVar(name, v.Value)
	}
	return m
}

// Scrub replaces every known value in text.
func (m *Masker) Scrub(text string) string {
	if m == nil {
		return text
	}
	text = m.scrubValues(text)
	if len(m.words) == 0 {
		return text
	}
	var b strings.Builder
	for len(text) > 0 {
		i := strings.IndexFunc(text, func(r rune) bool { return !isWordChar(r) })
		if i < 0 {
			i = len(text)
		}
		if w := text[:i]; m.words[w] {
			b.WriteString(Masked)
		} else {
			b.WriteString(w)
		}
		text = text[i:]
		j := strings.IndexFunc(text, isWordChar)
		if j < 0 {
			j = len(text)
		}
		b.WriteString(text[:j])
		text = text[j:]
	}
	return b.String()
}

func (m *Masker) scrubValues(text string) string {
	if len(m.values) == 0 {
		return text
	}
	if m.r == nil {
		vals := slices.Clone(m.values)
		// Longest first, so a secret containing another is replaced whole.
		slices.SortFunc(vals, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
		vals = slices.Compact(vals)
		pairs := make([]string, 0, 2*len(vals))
		for _, v := range vals {
			pairs = append(pairs, v, Masked)
		}
		m.r = strings.NewReplacer(pairs...)
	}
	return m.r.Replace(text)
}

// Mask returns value fit to print. A variable whose name is no secret's
// but whose value is a secret's is masked all the same, and says whose
// value it holds, since that reuse is a problem of its own.
func (m *Masker) Mask(name, value string) string {
	masked := m.Scrub(Mask(name, value))
	if owner := m.owners[value]; owner != "" && owner != name && !IsSecret(name) {
		masked += " (same value as " + owner + ")"
	}
	return masked
}
