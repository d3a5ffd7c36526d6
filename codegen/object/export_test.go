package object

import "github.com/hawktrace/hawk/codegen"

// EncodeManifest and DecodeManifest give the manifest section's encoding
// to the benchmarks of package object_test, which can compile scripts.
var (
	// SchemaID is what the manifest section holds of its types and wire layouts.
	SchemaID       = schemaID
	EncodeManifest = func(m *codegen.Manifest) ([]byte, error) { return encodeEnvelope(&envelope{Manifest: m}) }
	DecodeManifest = func(data []byte) (*codegen.Manifest, error) {
		env, err := decodeEnvelope(data)
		if err != nil {
			return nil, err
		}
		return env.Manifest, nil
	}
)
