#!/bin/sh
# make run: creates the data folder on first start, prints how to log in, then serves.
set -eu
data=$1
listen=$2
bin=build/isms

if [ ! -f "$data/isms.db" ]; then
	"$bin" init --data "$data" --password-file "$data/initial-passwords.txt" >/dev/null
	echo "isms: created the data folder '$data'"
	fresh=1
else
	fresh=0
fi

cat <<MSG

  isms is starting on http://$listen  (stop with Ctrl-C)

  The three separated administrators (三员分立) are:
    sysadmin    系统管理员 / system administrator   accounts and departments
    secadmin    安全管理员 / security administrator roles and security policy
    auditadmin  审计管理员 / audit administrator    the audit trail
MSG
if [ -f "$data/initial-passwords.txt" ]; then
	echo "  Their one-time passwords (from the first start; delete the file once changed):"
	sed 's/^/    /' "$data/initial-passwords.txt"
	[ "$fresh" = 1 ] || echo "  (if you already changed a password, use your own)"
else
	echo "  Log in with the passwords you set. Lost one? build/isms user reset-password --data $data NAME"
fi
cat <<MSG

  Open http://$listen in a browser (中文界面; English from the language menu) and log in.
  The first login asks for a new password and then two-factor login (scan the QR code
  with an authenticator app). The JSON API is at http://$listen/api/v1 (docs/openapi.yaml).
  To click through a living demo organization instead:
    build/isms init --data /tmp/isms-demo --demo && build/isms serve --data /tmp/isms-demo --listen $listen

MSG
exec "$bin" serve --data "$data" --listen "$listen"
