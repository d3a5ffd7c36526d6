// Package deploy holds what runs hawk across a fleet: the container image
// (Dockerfile: FROM scratch around the static binary) and the Kubernetes
// manifests (a DaemonSet running a ConfigMap's script on every node with
// --metrics). It has no Go code but its tests, which decode the manifests
// strictly against the Kubernetes API types, check the fields hawk needs,
// and run hawk as the DaemonSet would: in an empty root with only its
// mounts and capabilities.
package deploy
