// Command conpaas-devcluster runs a real kube-apiserver with an embedded etcd in one process.
//
// It exists because this project's machines cannot download the official release binaries:
// everything is built once from the Go module proxy by hack/dev-cluster.sh. The apiserver is
// the unmodified upstream command; only etcd is embedded instead of being a second binary.
//
// Usage: conpaas-devcluster --etcd-dir DIR --etcd-port PORT -- <kube-apiserver flags>
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	fs := flag.NewFlagSet("conpaas-devcluster", flag.ExitOnError)
	etcdDir := fs.String("etcd-dir", "", "etcd data directory")
	etcdPort := fs.Int("etcd-port", 2379, "etcd client port on 127.0.0.1")
	_ = fs.Parse(os.Args[1:])
	if *etcdDir == "" {
		fmt.Fprintln(os.Stderr, "--etcd-dir is required")
		os.Exit(2)
	}

	cfg := embed.NewConfig()
	cfg.Dir = *etcdDir
	cfg.LogLevel = "warn"
	client, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", *etcdPort))
	// The peer port is never used by a single member, but it must not clash with a real etcd.
	peer, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", *etcdPort+1))
	cfg.ListenClientUrls = []url.URL{*client}
	cfg.AdvertiseClientUrls = []url.URL{*client}
	cfg.ListenPeerUrls = []url.URL{*peer}
	cfg.AdvertisePeerUrls = []url.URL{*peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		os.Exit(1)
	}
	select {
	case <-etcd.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		fmt.Fprintln(os.Stderr, "etcd did not become ready within 60s")
		os.Exit(1)
	}

	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(fs.Args())
	code := cli.Run(cmd)
	etcd.Close()
	os.Exit(code)
}
