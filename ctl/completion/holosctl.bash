# bash completion for holosctl. Verbs and flags are read from holosctl's own --help, so they
# stay in step with the program; projects and instances come from the running system.

_holosctl_verbs() {
    holosctl --help 2>/dev/null | sed -n '/^Subcommands:/,$ s/^  \([a-z][a-z-]*\) .*/\1/p'
}

_holosctl_flags() {
    holosctl "$1" --help 2>/dev/null | grep -oE '^ +(-[a-zA-Z],)?--[a-z][a-z-]*' |
        tr ',' '\n' | tr -d ' '
}

_holosctl_projects() {
    local dir=/run/holos/projects
    [ "$1" = user ] && dir=${XDG_RUNTIME_DIR:-/nonexistent}/holos/projects
    ls -1 "$dir" 2>/dev/null
}

_holosctl_instances() {
    local scope=$1 project=$2 args=(ps -q)
    [ "$scope" = user ] && args=(--user "${args[@]}")
    [ -n "$project" ] && args+=(-p "$project")
    holosctl "${args[@]}" 2>/dev/null | sed 's|.*/||'
}

_holosctl() {
    local cur prev verb="" project="" scope=system i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --user) scope=user ;;
        -p | --project) [ -n "$verb" ] && [ "$verb" != run ] && project=${COMP_WORDS[i + 1]} ;;
        -*) ;;
        *) [ -z "$verb" ] && verb=${COMP_WORDS[i]} ;;
        esac
    done

    if [ -z "$verb" ]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_holosctl_verbs) --user --verbose --help" -- "$cur")
        return
    fi
    case $prev in
    -f | --file | --dockerfile | -o | --output | --xml)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    -p | --project)
        if [ "$verb" != run ]; then
            mapfile -t COMPREPLY < <(compgen -W "$(_holosctl_projects "$scope")" -- "$cur")
            return
        fi
        ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_holosctl_flags "$verb")" -- "$cur")
        return
    fi
    case $verb in
    ps | start | stop | restart | logs | exec | console)
        mapfile -t COMPREPLY < <(compgen -W "$(_holosctl_instances "$scope" "$project")" -- "$cur")
        ;;
    pull | verify)
        local args=(images -q)
        [ "$scope" = user ] && args=(--user "${args[@]}")
        mapfile -t COMPREPLY < <(compgen -W "$(holosctl "${args[@]}" 2>/dev/null)" -- "$cur")
        ;;
    image)
        mapfile -t COMPREPLY < <(compgen -W "import build" -- "$cur"; compgen -f -- "$cur")
        ;;
    cp)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur"
            compgen -W "$(_holosctl_instances "$scope" "$project" | sed 's/$/:/')" -- "$cur")
        compopt -o nospace 2>/dev/null
        ;;
    *)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        ;;
    esac
}

complete -F _holosctl holosctl
