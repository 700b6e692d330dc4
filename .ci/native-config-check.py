#!/usr/bin/python3
"""Checks the configuration Quarkus generates for GraalVM native-image (which cannot run here).

Build it first, without GraalVM:
  ./mvnw -q package -DskipTests -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true \
      -Dquarkus.package.jar.enabled=false
then: .ci/native-config-check.py target/native-sources

Fails, naming what is missing, unless
- every record of the functions package (what the functions read and answer with) and every class
  named in a @RegisterForReflection(targets = ...) is registered for reflection, and
- every resource under src/main/resources that the code loads (all but application.properties) is
  included in the image.
"""
import glob
import json
import os
import re
import sys
import zipfile

SRC = "src/main/java"


def fqn_of(path):
    return path[len(SRC) + 1:-len(".java")].replace("/", ".")


def wire_records():
    out = set()
    for path in glob.glob(SRC + "/dev/viewfold/functions/*.java"):
        top = fqn_of(path)
        stem = top.rsplit(".", 1)[1]
        for name in re.findall(r"public record (\w+)\s*\(", open(path, encoding="utf-8").read()):
            out.add(top if name == stem else top + "$" + name)
    return out


def reflection_targets():
    out = set()
    for path in glob.glob(SRC + "/**/*.java", recursive=True):
        text = open(path, encoding="utf-8").read()
        package = fqn_of(path).rsplit(".", 1)[0]
        imports = dict((m.rsplit(".", 1)[1], m) for m in re.findall(r"^import ([\w.]+);", text, re.M))
        for block in re.findall(r"@RegisterForReflection\(targets\s*=\s*\{([^}]*)\}", text, re.S):
            for ref in re.findall(r"([\w.]+)\.class", block):
                outer, _, inner = ref.partition(".")
                base = imports.get(outer, package + "." + outer)
                out.add(base + ("$" + inner.replace(".", "$") if inner else ""))
    return out


def resources():
    root = "src/main/resources/"
    return {p[len(root):] for p in glob.glob(root + "**/*", recursive=True)
            if os.path.isfile(p) and not p.endswith("application.properties")}


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "target/native-sources"
    jars = glob.glob(folder + "/*-runner.jar")
    if not jars:
        sys.exit(f"native-config-check: no *-runner.jar in {folder}; build the native sources first (see --help)")
    with zipfile.ZipFile(jars[0]) as z:
        reflect = {e["name"] for e in json.loads(z.read("META-INF/native-image/reflect-config.json"))}
        included = json.loads(z.read("META-INF/native-image/resource-config.json"))["resources"]["includes"]
    patterns = [re.compile(i["pattern"].replace("\\Q", "").replace("\\E", "") if "\\Q" in i["pattern"]
                           else i["pattern"]) for i in included]
    wanted = wire_records() | reflection_targets()
    missing = sorted(wanted - reflect)
    unincluded = sorted(r for r in resources() if not any(p.fullmatch(r) for p in patterns))
    for name in missing:
        print(f"native-config-check: {name} is not registered for reflection (@RegisterForReflection)")
    for r in unincluded:
        print(f"native-config-check: resource {r} is not in the image (quarkus.native.resources.includes)")
    if missing or unincluded:
        sys.exit(1)
    print(f"native-config-check: {len(wanted)} wire and registered types reflectable, "
          f"{len(resources())} resources included ({os.path.basename(jars[0])})")


if __name__ == "__main__":
    main()
