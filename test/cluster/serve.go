package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// serveMain runs embedded etcd plus one kube-apiserver until the process gets
// SIGTERM/SIGINT. All state lives under --dir (etcd data, serving cert).
func serveMain(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fs.String("dir", "", "cluster state directory")
	pki := fs.String("pki", "", "scenario PKI directory (from `testcluster pki`)")
	port := fs.Int("port", 0, "kube-apiserver secure port on 127.0.0.1")
	etcdPort := fs.Int("etcd-port", 0, "etcd client port on 127.0.0.1")
	peerPort := fs.Int("peer-port", 0, "etcd peer port on 127.0.0.1")
	verbosity := fs.Int("v", 0, "kube-apiserver log verbosity")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *pki == "" || *port == 0 || *etcdPort == 0 || *peerPort == 0 {
		return errors.New("--dir, --pki, --port, --etcd-port and --peer-port are required")
	}
	absDir, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	absPKI, err := filepath.Abs(*pki)
	if err != nil {
		return err
	}
	certDir := filepath.Join(absDir, "certs")
	servingCrt, servingKey, err := ensureServingCert(absPKI, certDir)
	if err != nil {
		return fmt.Errorf("serving cert: %w", err)
	}

	// --- etcd ---
	cfg := embed.NewConfig()
	cfg.Name = "testcluster"
	cfg.Dir = filepath.Join(absDir, "etcd")
	cu, _ := url.Parse("http://127.0.0.1:" + strconv.Itoa(*etcdPort))
	pu, _ := url.Parse("http://127.0.0.1:" + strconv.Itoa(*peerPort))
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.UnsafeNoFsync = true
	cfg.LogLevel = "error"
	// Zero (NewConfig's value) logs every request as slow.
	cfg.WarningUnaryRequestDuration = 2 * time.Second
	cfg.WarningApplyDuration = 2 * time.Second
	cfg.LogOutputs = []string{"stderr"}
	cfg.QuotaBackendBytes = 4 << 30
	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("start etcd: %w", err)
	}
	select {
	case <-etcd.Server.ReadyNotify():
	case err := <-etcd.Err():
		etcd.Close()
		return fmt.Errorf("etcd: %w", err)
	case <-time.After(90 * time.Second):
		etcd.Close()
		return errors.New("etcd did not become ready in 90s")
	}
	fmt.Fprintf(os.Stderr, "testcluster: etcd ready on %s\n", cu)
	go func() {
		if err, ok := <-etcd.Err(); ok && err != nil {
			fmt.Fprintf(os.Stderr, "testcluster: etcd failed: %v\n", err)
			os.Exit(3)
		}
	}()

	// --- kube-apiserver ---
	flags := []string{
		"--etcd-servers=" + cu.String(),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(*port),
		"--cert-dir=" + certDir,
		"--tls-cert-file=" + servingCrt,
		"--tls-private-key-file=" + servingKey,
		"--client-ca-file=" + filepath.Join(absPKI, "ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-signing-key-file=" + filepath.Join(absPKI, "sa.key"),
		"--service-account-key-file=" + filepath.Join(absPKI, "sa.pub"),
		"--service-cluster-ip-range=10.0.0.0/16",
		"--authorization-mode=RBAC",
		"--disable-admission-plugins=ServiceAccount",
		"--endpoint-reconciler-type=none",
		"--allow-privileged=true",
		"--profiling=false",
		"--v=" + strconv.Itoa(*verbosity),
	}
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(flags)
	code := cli.Run(cmd)
	etcd.Close()
	if code != 0 {
		return fmt.Errorf("kube-apiserver exited with code %d", code)
	}
	return nil
}
