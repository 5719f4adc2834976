echo "unterminated
ls
