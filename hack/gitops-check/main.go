// Command gitops-check judges ConPaaS objects the way GitOps tools do: with kstatus
// (sigs.k8s.io/cli-utils, used by Flux, kpt and cli-utils) and with the Argo CD health
// scripts of an argocd-cm ConfigMap, run by gopher-lua (the Lua 5.1 engine Argo CD embeds).
//
// Usage: gitops-check ARGOCD_CM_YAML < objects.json
// objects.json is a Kubernetes List (kubectl get -o json) or a single object. One line per
// object on stdout, tab-separated: kind, namespace/name, kstatus status, Argo CD health status,
// Argo CD health message. An object whose kind has no health script prints "NoScript".
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

const healthKeyPrefix = "resource.customizations.health."

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gitops-check ARGOCD_CM_YAML < objects.json")
		os.Exit(2)
	}
	scripts, err := healthScripts(os.Args[1])
	if err != nil {
		fail(err)
	}
	objects, err := readObjects(io.LimitReader(os.Stdin, 64<<20))
	if err != nil {
		fail(err)
	}
	for _, o := range objects {
		u := &unstructured.Unstructured{Object: o}
		ks, err := status.Compute(u)
		kstatus := "Error"
		if err == nil {
			kstatus = ks.Status.String()
		} else {
			fmt.Fprintf(os.Stderr, "gitops-check: kstatus of %s/%s: %v\n", u.GetKind(), u.GetName(), err)
		}
		health, message := "NoScript", ""
		key := groupOf(u.GetAPIVersion()) + "_" + u.GetKind()
		if script, ok := scripts[key]; ok {
			health, message, err = argoHealth(script, o)
			if err != nil {
				health, message = "ScriptError", err.Error()
			}
		}
		fmt.Printf("%s\t%s/%s\t%s\t%s\t%s\n", u.GetKind(), u.GetNamespace(), u.GetName(), kstatus, health,
			strings.ReplaceAll(message, "\n", " "))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gitops-check:", err)
	os.Exit(1)
}

func groupOf(apiVersion string) string {
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// healthScripts reads the "resource.customizations.health.<group>_<kind>" keys of a ConfigMap.
func healthScripts(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cm struct {
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	scripts := map[string]string{}
	for k, v := range cm.Data {
		if strings.HasPrefix(k, healthKeyPrefix) {
			scripts[strings.TrimPrefix(k, healthKeyPrefix)] = v
		}
	}
	return scripts, nil
}

func readObjects(r io.Reader) ([]map[string]interface{}, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	// Kubernetes's decoding: whole numbers become int64, as kstatus's accessors expect.
	var doc map[string]interface{}
	if err := utiljson.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	items, isList := doc["items"].([]interface{})
	if !isList {
		return []map[string]interface{}{doc}, nil
	}
	var out []map[string]interface{}
	for _, it := range items {
		if m, ok := it.(map[string]interface{}); ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// argoHealth runs a health script as Argo CD does: the object is the global "obj" and the
// script returns a table with "status" and "message".
func argoHealth(script string, obj map[string]interface{}) (string, string, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	// The libraries Argo CD opens for health scripts (no io, no os except its safe subset).
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		return "", "", err
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("the script returned %s, not a table", L.Get(-1).Type())
	}
	st := ret.RawGetString("status")
	msg := ret.RawGetString("message")
	message := ""
	if msg != lua.LNil {
		message = msg.String()
	}
	switch st.String() {
	case "Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown":
		return st.String(), message, nil
	}
	return "", "", fmt.Errorf("the script returned status %q, not an Argo CD health status", st.String())
}

// toLua converts decoded JSON to Lua values the way Argo CD does (objects and arrays become
// tables, arrays 1-based).
func toLua(L *lua.LState, v interface{}) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case []interface{}:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case map[string]interface{}:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	}
	return lua.LString(fmt.Sprint(v))
}
