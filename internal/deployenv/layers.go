// Package deployenv computes what a deployment's containers really see in
// their environment: the layers the deployment guide names, resolved with
// Docker Compose's own semantics (compose-go), with the provenance of every
// variable.
package deployenv

// Layer is one place the guide says environment variables can be declared.
type Layer struct {
	// Name is how the guide and the output name the layer.
	Name string
	// Where says which file and which part of it.
	Where string
	// HowApplied is what Compose does with it.
	HowApplied string
	// Caveat is where reality differs from the guide's simple list.
	Caveat string
}

// Layer names as they appear in provenance.
const (
	LayerCompose = "production.yml"
	LayerStack   = "stack.env"
	LayerConfig  = "deploy/config/*.env"
	LayerSystem  = "system environment"
	LayerEnvFile = "env_file" // any other env file a service lists
)

// Layers lists the guide's layers, highest precedence first. The guide's
// "Which environment variables take precedence?" section is rendered from
// this list, and Resolve follows it, so the two cannot drift.
var Layers = []Layer{
	{
		Name:       LayerCompose,
		Where:      "the `environment:` section of a service in production.yml",
		HowApplied: "Written into the container as is (after `${VAR}` substitution); beats every env file.",
		Caveat:     "A `${VAR}` here is filled from the system environment first and stack.env second, so a system variable referenced this way beats stack.env. The file is usually committed: keep secrets out of it.",
	},
	{
		Name:       LayerStack,
		Where:      "stack.env beside production.yml (Portainer writes the stack's variables to it)",
		HowApplied: "The source for `${VAR}` in production.yml, and an env file of every service that lists it under `env_file:`.",
		Caveat:     "It beats deploy/config/*.env only when it comes after them in the `env_file:` list: among env files, the later one wins. A service that does not list it gets only the variables production.yml references.",
	},
	{
		Name:       LayerConfig,
		Where:      "the files in deploy/config/ that a service lists under `env_file:`",
		HowApplied: "Read in the order of the `env_file:` list; a later file beats an earlier one.",
		Caveat:     "A file in deploy/config/ that no service lists never reaches a container.",
	},
	{
		Name:       LayerSystem,
		Where:      "the environment of the shell (or of Portainer) that runs Compose",
		HowApplied: "Used only to fill `${VAR}` references and bare `KEY` entries in production.yml; it beats stack.env for those.",
		Caveat:     "It is not passed to containers otherwise, so in practice it is not the lowest layer but the highest source for `${VAR}`.",
	},
}
