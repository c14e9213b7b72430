# hello.sh: a tiny script for sh (usertests runs it: sh /etc/hello.sh)
echo hello from a script
echo one two three | wc
echo done
