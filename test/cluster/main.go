// Command testcluster runs one real kube-apiserver (k8s.io/kubernetes, embedded)
// backed by an embedded etcd, and carries the helpers the test harness needs:
//
//	testcluster serve --dir D --pki P --port N --etcd-port N --peer-port N
//	testcluster pki   --dir P
//	testcluster apply --kubeconfig K --context C --plan plan.json
//	testcluster hang  --port N --dir D
//
// One API server per process: kube-apiserver installs a process-wide signal
// handler that may only be set up once.
package main

import (
	"fmt"
	"os"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: testcluster serve|pki|apply|hang [flags]")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	sub, args := os.Args[1], os.Args[2:]
	var err error
	switch sub {
	case "serve":
		err = serveMain(args)
	case "pki":
		err = pkiMain(args)
	case "apply":
		err = applyMain(args)
	case "hang":
		err = hangMain(args)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "testcluster %s: %v\n", sub, err)
		os.Exit(1)
	}
}
