// Command conpaas-devcluster runs a real Kubernetes control plane: kube-apiserver with an embedded
// etcd in one process, which supervises kube-controller-manager and kube-scheduler as child
// processes of the same binary.
//
// It exists because this project's machines cannot download the official release binaries:
// everything is built once from the Go module proxy by hack/dev-cluster.sh. The three components
// are the unmodified upstream commands; only etcd is embedded instead of being a separate binary.
//
// Usage:
//
//	conpaas-devcluster --etcd-dir DIR --etcd-port PORT [--log-dir DIR] -- <kube-apiserver flags> \
//	    [::kube-controller-manager <flags>] [::kube-scheduler <flags>]
//	conpaas-devcluster kube-controller-manager|kube-scheduler <flags>   (one component, in the foreground)
//
// The children get their own processes (each component registers global flags and metrics, which
// clash in one process) but no pid of their own to manage: they die with the parent (Pdeathsig),
// are restarted if they exit, and are stopped before the apiserver when the parent gets SIGTERM.
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

const groupPrefix = "::"

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "kube-controller-manager":
			cmd := controllermanager.NewControllerManagerCommand()
			cmd.SetArgs(os.Args[2:])
			os.Exit(cli.Run(cmd))
		case "kube-scheduler":
			cmd := scheduler.NewSchedulerCommand()
			cmd.SetArgs(os.Args[2:])
			os.Exit(cli.Run(cmd))
		}
	}

	fs := flag.NewFlagSet("conpaas-devcluster", flag.ExitOnError)
	etcdDir := fs.String("etcd-dir", "", "etcd data directory")
	etcdPort := fs.Int("etcd-port", 2379, "etcd client port on 127.0.0.1")
	logDir := fs.String("log-dir", "", "directory for the <component>.log files of the child components")
	_ = fs.Parse(os.Args[1:])
	if *etcdDir == "" {
		fmt.Fprintln(os.Stderr, "--etcd-dir is required")
		os.Exit(2)
	}
	apiserverArgs, children, err := splitGroups(fs.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(children) > 0 && *logDir == "" {
		fmt.Fprintln(os.Stderr, "--log-dir is required with child components")
		os.Exit(2)
	}

	etcd := startEtcd(*etcdDir, *etcdPort)

	sup := &supervisor{logDir: *logDir, stop: make(chan struct{})}
	for _, c := range children {
		sup.start(c)
	}

	// The children go first on SIGTERM (the apiserver handles it too): their open watches would
	// otherwise hold up the apiserver's graceful shutdown.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		sup.stopAll()
	}()

	cmd := apiserver.NewAPIServerCommand()
	cmd.SetArgs(apiserverArgs)
	code := cli.Run(cmd)
	sup.stopAll()
	etcd.Close()
	os.Exit(code)
}

// component is one child process: a command name of this binary and its flags.
type component struct {
	name string
	args []string
}

// splitGroups cuts "<apiserver flags> ::name <flags> ::name <flags>" into its groups.
func splitGroups(args []string) ([]string, []component, error) {
	var apiserverArgs []string
	var children []component
	for _, a := range args {
		if strings.HasPrefix(a, groupPrefix) {
			name := strings.TrimPrefix(a, groupPrefix)
			if name != "kube-controller-manager" && name != "kube-scheduler" {
				return nil, nil, fmt.Errorf("unknown component %q", name)
			}
			children = append(children, component{name: name})
			continue
		}
		if len(children) == 0 {
			apiserverArgs = append(apiserverArgs, a)
		} else {
			last := &children[len(children)-1]
			last.args = append(last.args, a)
		}
	}
	return apiserverArgs, children, nil
}

func startEtcd(dir string, port int) *embed.Etcd {
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.LogLevel = "warn"
	client, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", port))
	// The peer port is never used by a single member, but it must not clash with a real etcd.
	peer, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", port+1))
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
	return etcd
}

// supervisor keeps the child components running until stopAll.
type supervisor struct {
	logDir   string
	mu       sync.Mutex
	stopping bool
	stop     chan struct{}
	running  map[string]*exec.Cmd
	wg       sync.WaitGroup
}

func (s *supervisor) start(c component) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// Pdeathsig fires when the thread that forked the child exits, not the process: keep this
		// goroutine on one thread for its whole life so a child never outlives a live parent's thread.
		runtime.LockOSThread()
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, "cannot find own executable:", err)
			return
		}
		backoff := time.Second
		for {
			started := time.Now()
			if !s.run(self, c) {
				return
			}
			// The apiserver may not listen yet at first (the children give up after a few seconds):
			// restart quickly, more slowly if the child keeps failing.
			if time.Since(started) > time.Minute {
				backoff = time.Second
			}
			select {
			case <-time.After(backoff):
			case <-s.stop:
				return
			}
			if backoff < 30*time.Second {
				backoff *= 2
			}
		}
	}()
}

// run starts the child once and waits for it; false when the supervisor is stopping.
func (s *supervisor) run(self string, c component) bool {
	logFile, err := os.OpenFile(filepath.Join(s.logDir, c.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, c.name+":", err)
		return false
	}
	defer logFile.Close()
	cmd := exec.Command(self, append([]string{c.name}, c.args...)...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return false
	}
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		fmt.Fprintf(logFile, "conpaas-devcluster: cannot start %s: %v\n", c.name, err)
		return true
	}
	if s.running == nil {
		s.running = map[string]*exec.Cmd{}
	}
	s.running[c.name] = cmd
	s.mu.Unlock()

	err = cmd.Wait()
	s.mu.Lock()
	delete(s.running, c.name)
	stopping := s.stopping
	s.mu.Unlock()
	if !stopping {
		fmt.Fprintf(logFile, "conpaas-devcluster: %s exited (%v); restarting it\n", c.name, err)
	}
	return !stopping
}

// stopAll sends SIGTERM to every child and waits up to 10 s for them (then SIGKILL). Idempotent.
func (s *supervisor) stopAll() {
	s.mu.Lock()
	if !s.stopping {
		s.stopping = true
		close(s.stop)
		for _, cmd := range s.running {
			_ = cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.mu.Lock()
		for _, cmd := range s.running {
			_ = cmd.Process.Kill()
		}
		s.mu.Unlock()
		<-done
	}
}
