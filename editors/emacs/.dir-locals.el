;;; Directory Local Variables  -*- no-byte-compile: t -*-
((emacs-lisp-mode (indent-tabs-mode . nil) (fill-column . 80)))
