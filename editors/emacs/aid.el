;;; aid.el --- Chat, proposed edits and build status from Aid  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Aid authors

;; Author: The Aid authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: tools, convenience

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; Aid is an AI sidecar: one daemon per user, shared by every editor,
;; that builds the prompts, calls the models, watches the build and
;; keeps a record of every request.  This package is its Emacs client:
;; it forwards requests over the daemon's socket, shows the streamed
;; answers, applies proposed changes to buffers and reports what you
;; did with them.
;;
;; M-x aid opens the workspace's conversation, a Markdown buffer: write
;; under the last "## You" heading and press C-c C-c to ask, or C-c C-e
;; to ask for a change.  Proposals appear as diff blocks: C-c C-a
;; applies one (to open buffers as one undoable change each), C-c C-k
;; rejects it, C-c C-v shows it in `diff-mode'.  C-g cancels an answer.
;; `aid-ask-region' asks about the region.  `aid-mode' (turned on by
;; M-x aid) shows the build state in the mode line and its diagnostics
;; through Flymake.  `aid-status' shows the daemon, and
;; `aid-restart-daemon' restarts it; Aid reconnects by itself and sends
;; again what was not answered.
;;
;; Settings: `aid-executable', `aid-conversation-directory',
;; `aid-events-buffer-size'.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'aid-rpc)
(require 'aid-edit)
(require 'aid-chat)
(require 'aid-build)

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.aid\\.md\\'" . aid-chat-mode))
;;;###autoload
(add-to-list 'magic-mode-alist '("<!-- aid-workspace: " . aid-chat-mode))

(defun aid--connect (root)
  "Connect to the daemon for the workspace ROOT and return its server."
  (unless aid-mode
    (aid-mode 1))
  (aid-rpc-ensure (aid-rpc-server root)))

(defun aid--announce (server)
  "Say which daemon SERVER is connected to."
  (let ((info (aid-rpc-server-info server)))
    (message "Aid: connected to aid %s (protocol %s, pid %s, generation %s) for %s"
             (plist-get info :serverVersion) (plist-get info :protocolVersion)
             (plist-get info :pid) (plist-get info :generation)
             (abbreviate-file-name (aid-rpc-server-root server)))))

(add-hook 'aid-rpc-ready-functions #'aid--announce)

(defun aid--current-root ()
  "The workspace of the current buffer."
  (if (aid-chat-buffer-p)
      (or aid-chat--root (aid-workspace-root))
    (aid-workspace-root)))

;;;###autoload
(defun aid ()
  "Open the conversation of the current workspace.
The buffer you came from is the one whose file, cursor, selection
and unsaved text go with your messages."
  (interactive)
  (let* ((source (and buffer-file-name (not (aid-chat-buffer-p)) (current-buffer)))
         (root (aid--current-root))
         (buffer (aid-chat-open root source)))
    (aid--connect root)
    (pop-to-buffer buffer)
    (goto-char (point-max))))

(defun aid--language ()
  "The Markdown code-block language of the current buffer."
  (string-remove-suffix "-ts" (string-remove-suffix "-mode" (symbol-name major-mode))))

;;;###autoload
(defun aid-ask-region (beg end question)
  "Ask Aid QUESTION about the code between BEG and END.
The question and the code go to the conversation, and the region is
sent as the selection."
  (interactive
   (if (use-region-p)
       (list (region-beginning) (region-end) (read-string "Ask Aid about the region: "))
     (user-error "Select the code to ask about first")))
  (let* ((source (current-buffer))
         (root (aid-workspace-root))
         (code (buffer-substring-no-properties beg end))
         (fence (aid-chat--fence code))
         (where (format "%s, lines %d-%d"
                        (if buffer-file-name
                            (file-relative-name buffer-file-name root)
                          (buffer-name))
                        (line-number-at-pos beg) (line-number-at-pos (max beg (1- end)))))
         (language (aid--language))
         (buffer (aid-chat-open root source)))
    (aid--connect root)
    (with-current-buffer buffer
      (when (aid-chat--busy-p)
        (user-error "Aid is still answering in %s" (buffer-name)))
      (goto-char (point-max))
      (unless (eq (car (car (last (aid-chat--sections)))) 'user)
        (insert (if (bolp) "" "\n") "\n## You\n\n"))
      (unless (bolp) (insert "\n"))
      (insert question "\n\n" where ":\n\n" fence language "\n" code
              (if (string-suffix-p "\n" code) "" "\n") fence "\n")
      (setq aid-chat--selection (cons source (cons beg end)))
      (aid-chat-send))
    (display-buffer buffer)))

;;;###autoload
(defun aid-cancel ()
  "Cancel the answers Aid is still giving in this workspace."
  (interactive)
  (let* ((root (aid--current-root))
         (cancelled 0))
    (dolist (buffer (buffer-list))
      (with-current-buffer buffer
        (when (and (aid-chat-buffer-p) (equal aid-chat--root root) (aid-chat-cancel))
          (cl-incf cancelled))))
    (message (if (> cancelled 0) "Aid: cancelling" "Aid: nothing to cancel"))))

;;;###autoload
(defun aid-status ()
  "Show the Aid daemon: version, process, socket, clients, workspaces."
  (interactive)
  (let* ((root (aid--current-root))
         (server (aid--connect root))
         (status (aid-rpc-request-sync server "daemon/status" nil 15))
         (build (aid-build-status server))
         (buffer (get-buffer-create "*aid status*")))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (aid--format-status status server build)))
      (special-mode)
      (goto-char (point-min)))
    (display-buffer buffer)
    (message "Aid: aid %s (protocol %s), pid %s, generation %s"
             (plist-get status :version) (plist-get status :protocolVersion)
             (plist-get status :pid) (plist-get status :generation))
    status))

(defun aid--format-status (status server build)
  "The text of `aid-status' for daemon STATUS, SERVER and BUILD."
  (let ((executable (plist-get status :executable)))
    (concat
     (format "aid %s (protocol %s)\n"
             (plist-get status :version) (plist-get status :protocolVersion))
     (format "  pid         %s (generation %s, up %.1f s, first started %s)\n"
             (plist-get status :pid) (plist-get status :generation)
             (or (plist-get status :uptimeSeconds) 0) (plist-get status :startedAt))
     (format "  binary      %s\n" (or (plist-get executable :path) "?"))
     (format "  socket      %s\n" (plist-get status :socketPath))
     (format "  state       %s\n" (plist-get status :stateDirectory))
     (format "  clients     %s connected, %s requests in flight, %s served\n"
             (plist-get status :connections) (plist-get status :inFlightRequests)
             (plist-get status :requestsServed))
     (mapconcat (lambda (workspace)
                  (format "  workspace   %s (%s)\n" (plist-get workspace :root)
                          (mapconcat #'identity (plist-get workspace :clients) ", ")))
                (plist-get status :workspaces) "")
     (if (zerop (length (plist-get status :configErrors))) ""
       (format "  config      %s\n"
               (mapconcat (lambda (e) (format "%s" (or (plist-get e :message) e)))
                          (plist-get status :configErrors) "\n              ")))
     "\n"
     (format "This workspace: %s (%s)\n" (aid-rpc-server-root server)
             (aid-rpc-server-state server))
     (format "  build       %s%s%s\n"
             (or (plist-get build :state) "unknown")
             (if-let ((command (plist-get build :command))) (format " (%s)" command) "")
             (if-let ((diagnostics (plist-get build :diagnostics)))
                 (format ", %d diagnostics" (length diagnostics)) ""))
     (format "  client      aid.el %s, Emacs %s\n" aid-version emacs-version))))

;;;###autoload
(defun aid-restart-daemon ()
  "Restart the Aid daemon; every editor reconnects by itself.
The daemon finishes what it is doing, then runs the binary installed
now, which is how an update of Aid is rolled out."
  (interactive)
  (let ((server (aid--connect (aid--current-root))))
    (aid-rpc-request server "daemon/restart" nil
                     :on-result
                     (lambda (result)
                       (message "Aid: the daemon is restarting (generation %s)"
                                (plist-get result :nextGeneration)))
                     :on-error
                     (lambda (err)
                       (message "Aid: restart failed: %s" (plist-get err :message))))))

(provide 'aid)
;;; aid.el ends here
