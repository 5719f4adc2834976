package deployenv

import (
	"strings"
	"testing"
)

func TestIsSecretNames(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASS": true, "SMTP_PWD": true, "MYSQL_PASSWD": true, "SSH_PRIVATE": true, "AWS_CREDENTIALS": true,
		"db_pass": true, "DJANGO_SECRET_KEY": true, "SENTRY_DSN": true, "GITHUB_TOKEN": true,
		// The shell's working directories end in PWD but are no secrets.
		"PWD": false, "OLDPWD": false,
		"PASSENGER_COUNT": false, "DJANGO_DEBUG": false, "PWD_HINT": false, "PRIVATE_NETWORK": false,
	} {
		if got := IsSecret(name); got != want {
			t.Errorf("IsSecret(%s) = %v, want %v", name, got, want)
		}
	}
}

// TestMaskValueShapes covers the connection-string shapes that carry a
// credential whatever the variable is called.
func TestMaskValueShapes(t *testing.T) {
	const s = "PLANTED-7f3a9"
	for _, tc := range []struct{ name, value, want string }{
		{"url password", "postgres://u:" + s + "@db:5432/x", "postgres://u:" + Masked + "@db:5432/x"},
		{"jdbc query password", "jdbc:postgresql://db/app?user=a&password=" + s, "jdbc:postgresql://db/app?user=a&password=" + Masked},
		{"jdbc query pwd first", "jdbc:sqlserver://db?pwd=" + s + "&user=a", "jdbc:sqlserver://db?pwd=" + Masked + "&user=a"},
		{"query token, sig, key", "https://h/x?access_token=" + s + "&sig=" + s + "&api_key=" + s + "&page=2",
			"https://h/x?access_token=" + Masked + "&sig=" + Masked + "&api_key=" + Masked + "&page=2"},
		{"aws presigned", "https://b.s3.amazonaws.com/k?X-Amz-Credential=" + s + "&X-Amz-Signature=" + s + "&X-Amz-Date=20240101",
			"https://b.s3.amazonaws.com/k?X-Amz-Credential=" + Masked + "&X-Amz-Signature=" + Masked + "&X-Amz-Date=20240101"},
		{"libpq", "host=db user=app password=" + s + " sslmode=require", "host=db user=app password=" + Masked + " sslmode=require"},
		{"libpq quoted", "host=db password='" + s + " x' port=5432", "host=db password=" + Masked + " port=5432"},
		{"libpq spaces around =", "host=db password = " + s, "host=db password = " + Masked},
		{"semicolon list", "Server=db;User Id=app;Password=" + s + " with space;", "Server=db;User Id=app;Password=" + Masked + ";"},
		{"azure account key", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + s + ";", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + Masked + ";"},
		{"user:pw@host without scheme", "app:" + s + "@db:5432/app", "app:" + Masked + "@db:5432/app"},
		{"user:pw@host in a command", "--broker app:" + s + "@rabbit --x", "--broker app:" + Masked + "@rabbit --x"},
		{"password holding @", "app:" + s + "@x@db", "app:" + Masked + "@db"},
		{"unparseable url", "amqp://app:" + s + "@h/%zz", "amqp://" + Masked + "@h/%zz"},
		// Shapes that carry no credential stay as they are.
		{"plain url", "redis://redis:6379/0", "redis://redis:6379/0"},
		{"email", "ops@example.org", "ops@example.org"},
		{"mailto", "mailto:ops@example.org", "mailto:ops@example.org"},
		{"host and port", "db:5432", "db:5432"},
		{"query without credentials", "https://h/x?user=a&page=2", "https://h/x?user=a&page=2"},
		{"empty password parameter", "host=db password=", "host=db password="},
	} {
		if got := MaskValue(tc.value); got != tc.want {
			t.Errorf("%s: MaskValue(%q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

// TestMaskerFindsCredentialsInShapes: a password found in one shape is
// masked wherever else it appears.
func TestMaskerFindsCredentialsInShapes(t *testing.T) {
	s := &Service{Vars: map[string]*Var{
		"PG_CONN":   {Value: "host=db password=pg-PLANTED-1"},
		"JDBC_URL":  {Value: "jdbc:mysql://db/x?password=jdbc-PLANTED-2"},
		"BROKER":    {Value: "app:broker-PLANTED-3@rabbit"},
		"DB_PASS":   {Value: "pass-PLANTED-4"},
		"ECHO_ALL":  {Value: "pg-PLANTED-1 jdbc-PLANTED-2 broker-PLANTED-3 pass-PLANTED-4"},
		"DB_SCHEMA": {Value: "public"},
	}}
	m := NewMasker(s)
	for name, v := range s.Vars {
		if got := m.Mask(name, v.Value); strings.Contains(got, "PLANTED") {
			t.Errorf("Mask(%s) = %q: a credential shows", name, got)
		}
	}
	if got := m.Mask("DB_SCHEMA", "public"); got != "public" {
		t.Errorf("Mask(DB_SCHEMA) = %q, want public", got)
	}
}

func TestScrubWords(t *testing.T) {
	m := &Masker{}
	m.addWords("PLANTED-7f3a9:80:zz")
	for in, want := range map[string]string{
		"Invalid ip address: PLANTED-7f3a9":    "Invalid ip address: " + Masked,
		"value PLANTED-7f3a9:80:zz is invalid": "value " + Masked + " is invalid",
		// A word is masked only where it stands whole.
		"xPLANTED-7f3a9": "xPLANTED-7f3a9",
	} {
		if got := m.Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskSameValueAsSecret: a variable that does not look secret but holds
// a secret's value is masked and says whose value it is.
func TestMaskSameValueAsSecret(t *testing.T) {
	const pw = "Hk2Lm9Np4Qr6"
	d := load(t, map[string]string{
		"production.yml": "services:\n  django:\n    image: x\n    env_file: stack.env\n",
		"stack.env":      "POSTGRES_PASSWORD=" + pw + "\nDB_PASS=" + pw + "\nPOSTGRES_DB=" + pw + "\nPOSTGRES_USER=portal\n",
	})
	m := d.Masker()
	for _, tc := range []struct{ name, value, want string }{
		{"POSTGRES_DB", pw, Masked + " (same value as DB_PASS)"},
		{"POSTGRES_USER", "portal", "portal"},
		// Secrets are masked anyway; their reuse is secrets.W004's to report.
		{"POSTGRES_PASSWORD", pw, Masked},
		{"DB_PASS", pw, Masked},
	} {
		if got := m.Mask(tc.name, tc.value); got != tc.want {
			t.Errorf("Mask(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
