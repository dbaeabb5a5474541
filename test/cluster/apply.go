package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// A plan is a list of steps applied in order. Within a step, Namespaces and
// CustomResourceDefinitions go first (CRDs are waited on until Established),
// then every other object is created concurrently. An object that exists
// already is server-side applied (force) instead. An object carrying `status`
// whose resource has a status subresource gets that status written through
// the subresource after the create.
type plan struct {
	Concurrency int        `json:"concurrency"`
	Steps       []planStep `json:"steps"`
}

type planStep struct {
	Name string `json:"name"`
	// Files: YAML (multi-document) or JSON files.
	Files []string `json:"files"`
	// Objects: inline objects (Lists are flattened).
	Objects []map[string]interface{} `json:"objects"`
	// Namespace for namespaced objects that have none.
	Namespace string `json:"namespace"`
	// SkipKinds: kinds dropped from this step.
	SkipKinds []string `json:"skipKinds"`
	// ReadyWorkloads: Deployments/StatefulSets without a status get a ready
	// status matching spec.replicas (no controllers run in a test cluster).
	ReadyWorkloads bool `json:"readyWorkloads"`
	// Labels and Annotations are merged into every object of the step (an
	// object's own values win), e.g. to mark an install as Helm-managed.
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

type applier struct {
	dyn        dynamic.Interface
	disc       discovery.DiscoveryInterface
	mapper     *restmapper.DeferredDiscoveryRESTMapper
	statusRes  map[schema.GroupVersionResource]bool
	statusMu   sync.Mutex
	created    atomic.Int64
	applied    atomic.Int64
	statuses   atomic.Int64
	errMu      sync.Mutex
	errs       []string
	concurrent int
}

const fieldManager = "gitops-dr-testcluster"

func applyMain(args []string) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig path")
	kctx := fs.String("context", "", "context name")
	planPath := fs.String("plan", "", "plan JSON file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kubeconfig == "" || *planPath == "" {
		return errors.New("--kubeconfig and --plan are required")
	}
	raw, err := os.ReadFile(*planPath)
	if err != nil {
		return err
	}
	var p plan
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if p.Concurrency <= 0 {
		p.Concurrency = 16
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: *kubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: *kctx})
	rc, err := cc.ClientConfig()
	if err != nil {
		return err
	}
	rc.QPS, rc.Burst = 100000, 100000
	// Argo CD's real finalizer draws a warning per object from 1.36; they
	// would drown the log.
	rc.WarningHandler = rest.NoWarnings{}
	rc.Timeout = 60 * time.Second
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return err
	}
	a := &applier{dyn: dyn, disc: dc, concurrent: p.Concurrency}
	a.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	start := time.Now()
	ctx := context.Background()
	for _, st := range p.Steps {
		t0 := time.Now()
		objs, err := st.load()
		if err != nil {
			return fmt.Errorf("step %s: %w", st.Name, err)
		}
		if err := a.runStep(ctx, st, objs); err != nil {
			return fmt.Errorf("step %s: %w", st.Name, err)
		}
		fmt.Fprintf(os.Stderr, "apply: step %-24s %5d objects in %s\n", st.Name, len(objs), time.Since(t0).Round(time.Millisecond))
	}
	fmt.Fprintf(os.Stderr, "apply: %d created, %d applied over existing, %d statuses, %d errors in %s\n",
		a.created.Load(), a.applied.Load(), a.statuses.Load(), len(a.errs), time.Since(start).Round(time.Millisecond))
	if len(a.errs) > 0 {
		for i, e := range a.errs {
			if i == 20 {
				fmt.Fprintf(os.Stderr, "apply: ... %d more\n", len(a.errs)-20)
				break
			}
			fmt.Fprintln(os.Stderr, "apply: error:", e)
		}
		return fmt.Errorf("%d objects failed", len(a.errs))
	}
	return nil
}

func (st planStep) load() ([]*unstructured.Unstructured, error) {
	skip := map[string]bool{}
	for _, k := range st.SkipKinds {
		skip[k] = true
	}
	var out []*unstructured.Unstructured
	add := func(m map[string]interface{}) {
		u := &unstructured.Unstructured{Object: m}
		if u.IsList() {
			_ = u.EachListItem(func(o runtime.Object) error {
				if it, ok := o.(*unstructured.Unstructured); ok && !skip[it.GetKind()] {
					out = append(out, it)
				}
				return nil
			})
			return
		}
		if u.GetKind() == "" || skip[u.GetKind()] {
			return
		}
		out = append(out, u)
	}
	defer func() {
		for _, u := range out {
			u.SetLabels(merged(st.Labels, u.GetLabels()))
			u.SetAnnotations(merged(st.Annotations, u.GetAnnotations()))
		}
	}()
	for _, f := range st.Files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
		for {
			var m map[string]interface{}
			if err := dec.Decode(&m); err != nil {
				if err == io.EOF {
					break
				}
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if m != nil {
				add(m)
			}
		}
	}
	for _, m := range st.Objects {
		add(m)
	}
	return out, nil
}

func merged(base, own map[string]string) map[string]string {
	if len(base) == 0 {
		return own
	}
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}

func (a *applier) fail(u *unstructured.Unstructured, what string, err error) {
	a.errMu.Lock()
	defer a.errMu.Unlock()
	a.errs = append(a.errs, fmt.Sprintf("%s %s/%s: %s: %v", u.GetKind(), u.GetNamespace(), u.GetName(), what, err))
}

func (a *applier) mapping(u *unstructured.Unstructured) (*meta.RESTMapping, error) {
	gvk := u.GroupVersionKind()
	m, err := a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil && meta.IsNoMatchError(err) {
		a.mapper.Reset()
		m, err = a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	return m, err
}

func (a *applier) resource(u *unstructured.Unstructured, stepNS string) (dynamic.ResourceInterface, schema.GroupVersionResource, error) {
	m, err := a.mapping(u)
	if err != nil {
		return nil, schema.GroupVersionResource{}, err
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		if u.GetNamespace() == "" {
			ns := stepNS
			if ns == "" {
				ns = "default"
			}
			u.SetNamespace(ns)
		}
		return a.dyn.Resource(m.Resource).Namespace(u.GetNamespace()), m.Resource, nil
	}
	u.SetNamespace("")
	return a.dyn.Resource(m.Resource), m.Resource, nil
}

func (a *applier) hasStatus(gvr schema.GroupVersionResource) bool {
	a.statusMu.Lock()
	defer a.statusMu.Unlock()
	if known, ok := a.statusRes[gvr]; ok {
		return known
	}
	// First look at this resource: (re)load discovery once, then remember the
	// answer either way.
	_, lists, _ := a.disc.ServerGroupsAndResources()
	fresh := map[schema.GroupVersionResource]bool{}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			continue
		}
		for _, r := range l.APIResources {
			if base, ok := strings.CutSuffix(r.Name, "/status"); ok {
				fresh[gv.WithResource(base)] = true
			}
		}
	}
	if a.statusRes == nil {
		a.statusRes = map[schema.GroupVersionResource]bool{}
	}
	for k := range fresh {
		a.statusRes[k] = true
	}
	a.statusRes[gvr] = fresh[gvr]
	return fresh[gvr]
}

func (a *applier) runStep(ctx context.Context, st planStep, objs []*unstructured.Unstructured) error {
	var first, rest []*unstructured.Unstructured
	for _, u := range objs {
		switch u.GetKind() {
		case "Namespace", "CustomResourceDefinition":
			first = append(first, u)
		default:
			rest = append(rest, u)
		}
		if st.ReadyWorkloads {
			readyStatus(u)
		}
	}
	// Namespaces first, then CRDs.
	sort.SliceStable(first, func(i, j int) bool { return first[i].GetKind() == "Namespace" && first[j].GetKind() != "Namespace" })
	var crds []string
	for _, u := range first {
		a.one(ctx, u, st.Namespace)
		if u.GetKind() == "CustomResourceDefinition" {
			crds = append(crds, u.GetName())
		}
	}
	if len(crds) > 0 {
		if err := a.waitEstablished(ctx, crds); err != nil {
			return err
		}
		a.mapper.Reset()
	}
	// Make sure every namespace that objects land in exists.
	nsSeen := map[string]bool{}
	for _, u := range rest {
		if _, _, err := a.resource(u, st.Namespace); err != nil {
			continue // reported when the object itself is applied
		}
		if ns := u.GetNamespace(); ns != "" && !nsSeen[ns] {
			nsSeen[ns] = true
			nsObj := &unstructured.Unstructured{Object: map[string]interface{}{
				"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]interface{}{"name": ns}}}
			_, err := a.dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}).
				Create(ctx, nsObj, metav1.CreateOptions{FieldManager: fieldManager})
			if err != nil && !apierrors.IsAlreadyExists(err) {
				a.fail(nsObj, "create namespace", err)
			}
		}
	}
	work := make(chan *unstructured.Unstructured)
	var wg sync.WaitGroup
	for i := 0; i < a.concurrent; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				a.one(ctx, u, st.Namespace)
			}
		}()
	}
	for _, u := range rest {
		work <- u
	}
	close(work)
	wg.Wait()
	return nil
}

// readyStatus gives a Deployment or StatefulSet without status a ready status.
func readyStatus(u *unstructured.Unstructured) {
	if u.GetKind() != "Deployment" && u.GetKind() != "StatefulSet" {
		return
	}
	if _, ok := u.Object["status"]; ok {
		return
	}
	replicas, found, _ := unstructured.NestedInt64(u.Object, "spec", "replicas")
	if !found {
		replicas = 1
	}
	st := map[string]interface{}{
		"observedGeneration": int64(1),
		"replicas":           replicas,
		"readyReplicas":      replicas,
		"availableReplicas":  replicas,
		"updatedReplicas":    replicas,
	}
	if u.GetKind() == "StatefulSet" {
		st["currentReplicas"] = replicas
	}
	u.Object["status"] = st
}

func (a *applier) one(ctx context.Context, u *unstructured.Unstructured, stepNS string) {
	ri, gvr, err := a.resource(u, stepNS)
	if err != nil {
		a.fail(u, "map", err)
		return
	}
	status, hadStatus := u.Object["status"]
	withStatus := hadStatus && a.hasStatus(gvr)
	var live *unstructured.Unstructured
	for attempt := 0; ; attempt++ {
		live, err = ri.Create(ctx, u, metav1.CreateOptions{FieldManager: fieldManager})
		if err == nil {
			a.created.Add(1)
			break
		}
		exists := apierrors.IsAlreadyExists(err)
		if !exists && apierrors.IsInvalid(err) {
			// A partial object (settings layered over an installed one) fails
			// validation on create before the server looks for the name.
			if _, gerr := ri.Get(ctx, u.GetName(), metav1.GetOptions{}); gerr == nil {
				exists = true
			}
		}
		if exists {
			cp := u.DeepCopy()
			delete(cp.Object, "status")
			cp.SetResourceVersion("")
			data, jerr := json.Marshal(cp.Object)
			if jerr != nil {
				a.fail(u, "encode", jerr)
				return
			}
			force := true
			live, err = ri.Patch(ctx, u.GetName(), types.ApplyPatchType, data,
				metav1.PatchOptions{FieldManager: fieldManager, Force: &force})
			if err != nil {
				a.fail(u, "apply", err)
				return
			}
			a.applied.Add(1)
			break
		}
		if attempt < 5 && (apierrors.IsServerTimeout(err) || apierrors.IsTooManyRequests(err) ||
			apierrors.IsTimeout(err) || apierrors.IsServiceUnavailable(err) || apierrors.IsInternalError(err)) {
			time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
			continue
		}
		a.fail(u, "create", err)
		return
	}
	if !withStatus {
		return
	}
	for attempt := 0; attempt < 10; attempt++ {
		live.Object["status"] = status
		_, err = ri.UpdateStatus(ctx, live, metav1.UpdateOptions{FieldManager: fieldManager})
		if err == nil {
			a.statuses.Add(1)
			return
		}
		if !apierrors.IsConflict(err) {
			break
		}
		live, err = ri.Get(ctx, u.GetName(), metav1.GetOptions{})
		if err != nil {
			break
		}
	}
	a.fail(u, "status", err)
}

func (a *applier) waitEstablished(ctx context.Context, names []string) error {
	gvr := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	deadline := time.Now().Add(90 * time.Second)
	for _, n := range names {
		for {
			crd, err := a.dyn.Resource(gvr).Get(ctx, n, metav1.GetOptions{})
			if err == nil && established(crd) {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("CRD %s not Established after 90s (last error: %v)", n, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}

func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]interface{})
		if ok && m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}
