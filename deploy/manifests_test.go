package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/hawktrace/hawk"
	"github.com/hawktrace/hawk/internal/kerneltest"
	"github.com/hawktrace/hawk/lang"
)

// manifests are deploy/'s Kubernetes objects, each decoded strictly.
type manifests struct {
	namespace *corev1.Namespace
	configMap *corev1.ConfigMap
	daemonSet *appsv1.DaemonSet
}

// decodeStrict decodes one YAML manifest into obj, refusing what the
// Kubernetes API server refuses in strict mode: an unknown or misspelt
// field (hostPid for hostPID too: encoding/json would match it regardless
// of case, so the API machinery's case-sensitive decoder reads it), a
// duplicate key, a value of the wrong type; and a second document.
func decodeStrict(data []byte, obj any) error {
	if bytes.Contains(data, []byte("\n---")) {
		return fmt.Errorf("one object a file, please")
	}
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return err
	}
	strict, err := kjson.UnmarshalStrict(js, obj, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

// readManifests decodes every *.yaml file of deploy/ by its kind; a kind
// the test does not know, or two objects of one kind, fail the test.
func readManifests(t *testing.T) manifests {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	var m manifests
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var meta struct{ APIVersion, Kind string }
		if err := yaml.Unmarshal(data, &meta); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var obj any
		switch meta.APIVersion + " " + meta.Kind {
		case "v1 Namespace":
			obj, m.namespace = once(t, f, m.namespace)
		case "v1 ConfigMap":
			obj, m.configMap = once(t, f, m.configMap)
		case "apps/v1 DaemonSet":
			obj, m.daemonSet = once(t, f, m.daemonSet)
		default:
			t.Fatalf("%s: a %s %s, which the test does not check", f, meta.APIVersion, meta.Kind)
		}
		if err := decodeStrict(data, obj); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if m.namespace == nil || m.configMap == nil || m.daemonSet == nil {
		t.Fatalf("want a Namespace, a ConfigMap and a DaemonSet; have %+v", m)
	}
	return m
}

// once returns a new object of T, failing t when have is already one.
func once[T any](t *testing.T, file string, have *T) (any, *T) {
	t.Helper()
	if have != nil {
		t.Fatalf("%s: a second %T", file, have)
	}
	obj := new(T)
	return obj, obj
}

// TestDecodeStrict: the decoding refuses what kubectl apply --validate
// would, so that the manifests' test can fail.
func TestDecodeStrict(t *testing.T) {
	for _, bad := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndatta: {a: b}\n",                 // misspelt field
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, name: y}\n",                       // duplicate key
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: [1]}\n",                // wrong type
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nimmutable: true\nData: {a: b}\n", // the wrong case
		"apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: ConfigMap\n",
	} {
		if err := decodeStrict([]byte(bad), new(corev1.ConfigMap)); err == nil {
			t.Errorf("decoded %q", bad)
		}
	}
	good := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"
	var cm corev1.ConfigMap
	if err := decodeStrict([]byte(good), &cm); err != nil || cm.Data["a"] != "b" {
		t.Errorf("%q: %v, %+v", good, err, cm)
	}
}

// hawkContainer returns the DaemonSet's container that runs hawk.
func hawkContainer(t *testing.T, ds *appsv1.DaemonSet) *corev1.Container {
	t.Helper()
	cs := ds.Spec.Template.Spec.Containers
	if len(cs) != 1 || cs[0].Name != "hawk" {
		t.Fatalf("want one container, hawk; have %d", len(cs))
	}
	return &cs[0]
}

// TestDaemonSet: the DaemonSet runs hawk on every node, in the host's PID
// namespace, not privileged, with the capabilities tracing needs and no
// CAP_SYS_ADMIN, the host's BTF and tracefs, the ConfigMap's script, and
// --metrics on the port the Prometheus annotations name.
func TestDaemonSet(t *testing.T) {
	m := readManifests(t)
	ds, cm := m.daemonSet, m.configMap
	ns := m.namespace.Name
	if ds.Namespace != ns || cm.Namespace != ns {
		t.Errorf("namespaces: DaemonSet %q, ConfigMap %q, want %q", ds.Namespace, cm.Namespace, ns)
	}
	sel := ds.Spec.Selector
	if sel == nil || !labels.SelectorFromSet(sel.MatchLabels).Matches(labels.Set(ds.Spec.Template.Labels)) {
		t.Errorf("the selector %v does not match the pods' labels %v", sel, ds.Spec.Template.Labels)
	}
	pod := ds.Spec.Template.Spec
	if !pod.HostPID {
		t.Error("hostPID is not set: uprobes, ustack and pid filters need the host's processes")
	}
	if !slices.ContainsFunc(pod.Tolerations, func(tl corev1.Toleration) bool {
		return tl.Operator == corev1.TolerationOpExists && tl.Key == "" && tl.Effect == ""
	}) {
		t.Error("no toleration of every taint: tainted nodes would go untraced")
	}
	c := hawkContainer(t, ds)

	sc := c.SecurityContext
	if sc == nil || sc.Capabilities == nil {
		t.Fatal("no securityContext.capabilities")
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Error("the container is privileged")
	}
	if sc.RunAsUser == nil || *sc.RunAsUser != 0 {
		t.Error("capabilities are for uid 0 in the container: runAsUser 0")
	}
	if !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Errorf("drop %v, want [ALL]", sc.Capabilities.Drop)
	}
	for _, want := range []corev1.Capability{"BPF", "PERFMON", "SYS_RESOURCE"} {
		if !slices.Contains(sc.Capabilities.Add, want) {
			t.Errorf("capability %s is not added", want)
		}
	}
	for _, never := range []corev1.Capability{"SYS_ADMIN", "CAP_SYS_ADMIN", "ALL"} {
		if slices.Contains(sc.Capabilities.Add, never) {
			t.Errorf("capability %s is added: the least that work is the point", never)
		}
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("the root file system is writable: hawk writes nothing there")
	}

	// The host's BTF and tracefs, from hostPath volumes of the same path.
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	mounts := map[string]corev1.VolumeMount{}
	for _, vm := range c.VolumeMounts {
		if _, ok := volumes[vm.Name]; !ok {
			t.Errorf("mount %s: no volume %s", vm.MountPath, vm.Name)
		}
		mounts[vm.MountPath] = vm
	}
	for _, dir := range []string{"/sys/kernel/btf", "/sys/kernel/tracing"} {
		vm, ok := mounts[dir]
		if !ok {
			t.Errorf("%s is not mounted", dir)
			continue
		}
		hp := volumes[vm.Name].HostPath
		if hp == nil || hp.Path != dir {
			t.Errorf("%s is mounted from %+v, want the host's %s", dir, volumes[vm.Name].VolumeSource, dir)
		}
	}

	// The arguments: --metrics on the annotated port, and a script of the
	// ConfigMap's, mounted where the arguments say.
	port := containerPort(t, c, "metrics")
	ann := ds.Spec.Template.Annotations
	for k, want := range map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": strconv.Itoa(int(port)), "prometheus.io/path": "/metrics"} {
		if ann[k] != want {
			t.Errorf("annotation %s is %q, want %q", k, ann[k], want)
		}
	}
	i := slices.Index(c.Args, "--metrics")
	if i < 0 || i+1 >= len(c.Args) {
		t.Fatalf("args %q have no --metrics ADDR", c.Args)
	}
	if addr := c.Args[i+1]; !strings.HasSuffix(addr, ":"+strconv.Itoa(int(port))) {
		t.Errorf("--metrics %s does not serve the container port %d", addr, port)
	}
	script := c.Args[len(c.Args)-1]
	key, ok := configMapKey(volumes, mounts, cm.Name, script)
	if !ok {
		t.Fatalf("the script %s is not in a mount of the ConfigMap %s", script, cm.Name)
	}
	if _, ok := cm.Data[key]; !ok {
		t.Errorf("the ConfigMap %s has no %s", cm.Name, key)
	}
	if len(c.Command) > 0 && !slices.Equal(c.Command, []string{imageEntrypoint(t)}) {
		t.Errorf("command %q is not the image's entrypoint", c.Command)
	}
}

// containerPort returns the number of c's port called name.
func containerPort(t *testing.T, c *corev1.Container, name string) int32 {
	t.Helper()
	for _, p := range c.Ports {
		if p.Name == name && (p.Protocol == "" || p.Protocol == corev1.ProtocolTCP) {
			return p.ContainerPort
		}
	}
	t.Fatalf("the container has no TCP port %s", name)
	return 0
}

// configMapKey returns the key of the ConfigMap cm whose file path is,
// through the container's mounts.
func configMapKey(volumes map[string]corev1.Volume, mounts map[string]corev1.VolumeMount, cm, file string) (string, bool) {
	dir, key := path.Split(file)
	vm, ok := mounts[path.Clean(dir)]
	if !ok {
		return "", false
	}
	src := volumes[vm.Name].ConfigMap
	return key, src != nil && src.Name == cm
}

// TestConfigMapScripts: every script of the ConfigMap compiles.
func TestConfigMapScripts(t *testing.T) {
	kerneltest.Require(t) // tracepoints' formats come from tracefs
	cm := readManifests(t).configMap
	if len(cm.Data) == 0 {
		t.Fatal("the ConfigMap holds no script")
	}
	for name, text := range cm.Data {
		if _, err := hawk.Compile(lang.NewSource(name, text), hawk.Config{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// imageEntrypoint reads the Dockerfile: it must build FROM scratch, copy
// the static binary in, and run it. It returns the binary's path.
func imageEntrypoint(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var from []string
	copies := map[string]string{}
	entry := ""
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			from = append(from, strings.Join(f[1:], " "))
		case "COPY":
			if len(f) == 3 {
				copies[f[2]] = f[1]
			}
		case "ENTRYPOINT":
			var argv []string
			if err := json.Unmarshal([]byte(strings.TrimSpace(line[len(f[0]):])), &argv); err != nil || len(argv) != 1 {
				t.Fatalf("ENTRYPOINT %q: want the exec form of one path", line)
			}
			entry = argv[0]
		}
	}
	if !slices.Equal(from, []string{"scratch"}) {
		t.Errorf("the image builds FROM %q, want scratch alone", from)
	}
	if copies[entry] != "bin/hawk" {
		t.Errorf("the entrypoint %q is not bin/hawk copied in (%v)", entry, copies)
	}
	return entry
}

// TestDockerfile: the image is the static binary FROM scratch, and the
// build context sends the binary alone.
func TestDockerfile(t *testing.T) {
	if entry := imageEntrypoint(t); !regexp.MustCompile(`^/[a-z]+$`).MatchString(entry) {
		t.Errorf("entrypoint %q", entry)
	}
	ignore, err := os.ReadFile("Dockerfile.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, l := range strings.Split(string(ignore), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			rules = append(rules, l)
		}
	}
	if !slices.Equal(rules, []string{"*", "!bin/hawk"}) {
		t.Errorf("Dockerfile.dockerignore: %q, want everything but bin/hawk ignored", rules)
	}
}
