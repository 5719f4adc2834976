package deployenv

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

const planted = "PLANTED-7f3a9"

// badEnvLines are env file texts Compose's parser rejects, each with a
// planted secret. want is the line the error must point at and a piece of
// its message; quoted is the line as the message may quote it.
var badEnvLines = []struct {
	name, text string
	line       int
	want       string
	quoted     string
}{
	{"unterminated double quote", "A=1\nDB_PASSWORD=\"" + planted + "\nB=2\n", 2, "the quoted value is never closed", `DB_PASSWORD="` + Masked},
	{"unterminated single quote", "A=1\nDB_PASSWORD='" + planted + " rest\n", 2, "the quoted value is never closed", `DB_PASSWORD='` + Masked},
	{"unterminated after a multi-line value", "A=\"x\ny\"\nTOKEN=\"" + planted + "\n", 3, "the quoted value is never closed", `TOKEN="` + Masked},
	{"space in the name", "A=1\nBAD KEY=" + planted + "\n", 2, "has a space in it", "BAD KEY=" + Masked},
	{"bad character in the name", "DB-PASS!=" + planted + "\n", 1, `has "!" that Compose does not allow`, "DB-PASS!=" + Masked},
	{"a pasted key line", "A=1\n" + planted + "+abc/def==\n", 2, "that Compose does not allow", Masked + "=" + Masked},
	{"invalid template", "A=1\nBROKER=amqp://app:" + planted + "@h/${oops\n", 2, "invalid ${...} substitution", "BROKER=" + Masked},
	{"invalid template in quotes", "BROKER=\"amqp://app:" + planted + "@h/${oops\"\n", 1, "invalid ${...} substitution", `BROKER="` + Masked},
	{"required variable", "A=1\nURL=${NOPE:?" + planted + "}\n", 2, "it requires NOPE, which is not set", "URL=" + Masked},
	{"yaml-style unterminated", "DB_PASSWORD: \"" + planted + "\n", 1, "the quoted value is never closed", `DB_PASSWORD: "` + Masked},
	{"export prefix", "export SECRET=\"" + planted + "\n", 1, "the quoted value is never closed", `export SECRET="` + Masked},
}

// TestEnvFileErrorsHideValues reads each bad text as stack.env, as a
// deploy/config env_file and as a label_file: the error names the file and
// line and what is wrong, and never the value.
func TestEnvFileErrorsHideValues(t *testing.T) {
	places := []struct {
		name, file, compose string
	}{
		{"stack.env", "stack.env", "services:\n  django:\n    image: x\n"},
		{"env_file", "deploy/config/django.env", "services:\n  django:\n    image: x\n    env_file:\n      - ./deploy/config/django.env\n"},
		{"label_file", "deploy/config/labels.env", "services:\n  django:\n    image: x\n    label_file: ./deploy/config/labels.env\n"},
	}
	for _, tc := range badEnvLines {
		for _, pl := range places {
			t.Run(tc.name+"/"+pl.name, func(t *testing.T) {
				dir := deploy(t, map[string]string{"production.yml": pl.compose, pl.file: tc.text})
				_, err := Load(context.Background(), Options{Dir: dir})
				var de *Error
				if !errors.As(err, &de) {
					t.Fatalf("error = %v, want a positioned *Error", err)
				}
				msg := err.Error()
				if strings.Contains(msg, planted) {
					t.Errorf("the error shows the value: %s", msg)
				}
				if want := filepath.ToSlash(filepath.Join(dir, pl.file)); de.Pos.File != want || de.Pos.Line != tc.line {
					t.Errorf("error at %s, want %s:%d", de.Pos, want, tc.line)
				}
				if !strings.Contains(de.Msg, tc.want) || !strings.Contains(de.Msg, "("+tc.quoted+")") {
					t.Errorf("message %q, want %q and the line quoted as %q", de.Msg, tc.want, tc.quoted)
				}
			})
		}
	}
}

func TestMaskLine(t *testing.T) {
	for in, want := range map[string]string{
		`DB_PASSWORD="Sekrit`:        `DB_PASSWORD="` + Masked,
		`  KEY = value`:              `KEY= ` + Masked,
		`KEY:value`:                  `KEY:` + Masked,
		`EMPTY=`:                     `EMPTY=`,
		`NOT A KEY=2`:                `NOT A KEY=` + Masked,
		`MIIEvQIBADANBgkqhkiG9w0BAQ`: Masked, // no = or ':' at all: maybe a piece of a key
		`abc+/def==`:                 Masked + "=" + Masked,
		`"quoted name"=x`:            Masked + "=" + Masked,
	} {
		if got := maskLine(in); got != want {
			t.Errorf("maskLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestComposeErrorsHideValues: compose-go's own messages quote values; what
// reaches the user does not.
func TestComposeErrorsHideValues(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		environ []string
		want    string
	}{
		{"invalid template in a map", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    environment:\n      BROKER: amqp://app:" + planted + "@h/${oops\n"},
			nil, "production.yml:5: invalid ${...} substitution in services.django.environment.BROKER"},
		{"invalid template in a list", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    environment:\n      - BROKER=amqp://app:" + planted + "@h/${oops\n"},
			nil, "production.yml:5: invalid ${...} substitution"},
		{"required variable's message", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    environment:\n      A: ${NEED:?" + planted + "}\n"},
			nil, "production.yml:5: required variable NEED is not set"},
		{"a port built from stack.env", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    ports:\n      - \"${P}\"\n", "stack.env": "P=" + planted + ":80:zz\n"},
			nil, "Compose cannot load this file"},
		{"a duration from the system", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    healthcheck:\n      interval: ${P}\n"},
			[]string{"P=" + planted}, "Compose cannot load this file"},
		{"a literal value compose rejects", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    mem_limit: " + planted + "\n"},
			nil, "Compose cannot load this file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := deploy(t, tc.files)
			_, err := Load(context.Background(), Options{Dir: dir, Environ: tc.environ})
			if err == nil {
				t.Fatal("Load succeeded")
			}
			got := strings.ReplaceAll(err.Error(), filepath.ToSlash(dir)+"/", "")
			if strings.Contains(got, planted) || strings.Contains(got, "7f3a9") {
				t.Errorf("the error shows the value: %s", got)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("error = %q, want %q", got, tc.want)
			}
		})
	}
}
