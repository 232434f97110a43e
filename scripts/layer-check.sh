#!/usr/bin/env bash
# Checks the library's layers (docs/architecture.md) from its `crate::` paths:
# no import cycle between the top-level modules of src/, and the never-rules
# below. Prints the module graph and every broken rule; exits 1 on any.
#
#   bash scripts/layer-check.sh
set -euo pipefail
cd "$(dirname "$0")/../src"

# "file<TAB>top-level module it names", one line per reference, comments left out.
references() {
    find . -name '*.rs' -not -path './bin/*' -not -name lib.rs | sort | while read -r file; do
        file=${file#./}
        grep -v '^\s*//' "$file" | grep -oE '\bcrate::[a-z_]+' | sed 's/^crate:://' | sort -u |
            sed "s|^|$file\t|"
    done
}
top() { local first=${1%%/*}; echo "${first%.rs}"; }

refs=$(references)
edges=$(while IFS=$'\t' read -r file dep; do
    from=$(top "$file")
    [ "$from" != "$dep" ] && printf '%s %s\n' "$from" "$dep"
done <<<"$refs" | sort -u)

echo "module graph (module: what it imports):"
for module in $(cut -d' ' -f1 <<<"$edges" | sort -u); do
    echo "  $module: $(awk -v m="$module" '$1 == m { printf "%s ", $2 }' <<<"$edges")"
done

failed=0
# tsort reports every loop it finds on stderr.
if ! cycles=$(tsort <<<"$edges" 2>&1 >/dev/null); [ -n "${cycles:-}" ]; then
    echo "import cycle between top-level modules:"
    sed 's/^/  /' <<<"$cycles"
    failed=1
fi

# Never-rules: "imported module<TAB>the only files (regex) that may import it".
rules=$'ui\t^(ui|emulator)/|^admin/preview\\.rs$
emulator\t^(emulator|admin/console)/
admin\t^admin/
kiosk\t^(kiosk|ui|emulator|admin)/'
while IFS=$'\t' read -r module allowed; do
    while IFS=$'\t' read -r file dep; do
        if [ "$dep" = "$module" ] && ! grep -qE "$allowed" <<<"$file"; then
            echo "never-rule broken: src/$file imports crate::$module (only ${allowed} may)"
            failed=1
        fi
    done <<<"$refs"
done <<<"$rules"

if [ "$failed" = 0 ]; then
    echo "layers OK: no import cycle, no never-rule broken"
fi
exit "$failed"
