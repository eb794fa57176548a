;;; checkdoc.el --- Run checkdoc on files, fail on any finding  -*- lexical-binding: t; -*-

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; emacs -Q --batch -l test/checkdoc.el FILE...
;; Prints each finding as FILE:LINE: MESSAGE; exits 1 if there is any.

;;; Code:

(require 'checkdoc)

(let ((findings 0))
  (dolist (file command-line-args-left)
    (let ((checkdoc-diagnostic-buffer "*aid checkdoc*"))
      (when (get-buffer checkdoc-diagnostic-buffer)
        (kill-buffer checkdoc-diagnostic-buffer))
      (with-current-buffer (find-file-noselect file)
        (checkdoc-current-buffer t))
      (with-current-buffer (get-buffer-create checkdoc-diagnostic-buffer)
        (goto-char (point-min))
        (while (re-search-forward "^\\(.*\\.el:[0-9]+: .*\\)$" nil t)
          (setq findings (1+ findings))
          (princ (concat (match-string 1) "\n"))))))
  (setq command-line-args-left nil)
  (kill-emacs (if (> findings 0) 1 0)))

;;; checkdoc.el ends here
