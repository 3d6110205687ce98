// Command conpaas-devnode is the upstream kubelet of the dev cluster's Kubernetes version, built
// from the Go module proxy by hack/dev-cluster.sh (up --with-node) like the control plane. It is
// a binary of its own, built only when a node is asked for, so the control plane stays smaller.
package main

import (
	"context"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // JSON log format, as upstream
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client metrics, as upstream
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric, as upstream
	"k8s.io/kubernetes/cmd/kubelet/app"
)

func main() {
	os.Exit(cli.Run(app.NewKubeletCommand(context.Background())))
}
