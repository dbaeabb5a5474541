package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
)

// hangMain listens on 127.0.0.1:--port, accepts every connection and never
// answers (the bytes a client sends are read and dropped, so a TLS handshake or
// HTTP request waits until the client gives up). It stands in for an
// unreachable cluster. --dir is only recorded in the command line so that the
// harness can tell its own processes apart.
func hangMain(args []string) error {
	fs := flag.NewFlagSet("hang", flag.ContinueOnError)
	port := fs.Int("port", 0, "port on 127.0.0.1")
	_ = fs.String("dir", "", "owner state directory (informational)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *port == 0 {
		return errors.New("--port is required")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "testcluster: hanging on %s\n", ln.Addr())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		ln.Close()
		os.Exit(0)
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			return nil
		}
		go func(c net.Conn) {
			defer c.Close()
			_, _ = io.Copy(io.Discard, c)
		}(c)
	}
}
