package deployenv

import (
	"net/url"
	"slices"
	"strings"
)

// secretWords mark a variable name as holding a secret.
var secretWords = []string{"SECRET", "PASSWORD", "TOKEN", "KEY", "DSN", "BASIC_AUTH", "CREDENTIAL"}

// IsSecret reports whether a variable's value must not be shown.
func IsSecret(name string) bool {
	upper := strings.ToUpper(name)
	for _, w := range secretWords {
		if strings.Contains(upper, w) {
			return true
		}
	}
	return false
}

// Masked is what the output shows instead of a secret.
const Masked = "********"

// Mask returns value fit to print: secrets are replaced, and the password
// of a URL (postgres://user:pw@host) is hidden whatever the name.
func Mask(name, value string) string {
	if value == "" {
		return ""
	}
	if IsSecret(name) {
		return Masked
	}
	return MaskURL(value)
}

// MaskURL hides the password in a URL-like value.
func MaskURL(value string) string {
	if !strings.Contains(value, "://") || !strings.Contains(value, "@") {
		return value
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
		return scheme + "://" + Masked + rest[at:]
	}
	if _, hasPw := u.User.Password(); hasPw {
		scheme, rest, _ := strings.Cut(value, "://")
		at := strings.LastIndex(rest, "@")
		user, _, _ := strings.Cut(rest[:at], ":")
		return scheme + "://" + user + ":" + Masked + rest[at:]
	}
	return value
}

// Masker masks a service's secret values wherever they appear, including in
// variables whose names do not look secret (MINIO_ROOT_USER set to the same
// value as MINIO_ROOT_PASSWORD, say).
type Masker struct{ secrets []string }

// NewMasker collects the secret values of s.
func NewMasker(s *Service) *Masker {
	m := &Masker{}
	for name, v := range s.Vars {
		if IsSecret(name) && len(v.Value) >= 4 {
			m.secrets = append(m.secrets, v.Value)
		}
	}
	// Longest first, so a secret containing another is replaced whole.
	slices.SortFunc(m.secrets, func(a, b string) int { return len(b) - len(a) })
	return m
}

// Mask returns value fit to print.
func (m *Masker) Mask(name, value string) string {
	out := Mask(name, value)
	for _, s := range m.secrets {
		out = strings.ReplaceAll(out, s, Masked)
	}
	return out
}
