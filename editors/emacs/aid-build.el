;;; aid-build.el --- Aid's build status and diagnostics  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Aid authors

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; The daemon builds every workspace an editor opened and pushes each
;; change of state as `build/statusChanged'.  `aid-mode' shows that
;; state in the mode line of the workspace's buffers, and feeds the
;; build's diagnostics to Flymake through `aid-flymake-backend', which
;; it adds to the file buffers of connected workspaces.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'flymake)
(require 'aid-rpc)

(declare-function aid-status "aid" ())
(defvar aid-mode)
(defvar aid-chat--root)

(defvar aid-build--statuses (make-hash-table :test #'equal)
  "The last build status of each workspace, by root: a plist.")

(defvar-local aid-flymake--report-fn nil
  "The function Flymake gave `aid-flymake-backend' last.")


;;; Status

(defun aid-build-status (server)
  "The last build status of SERVER's workspace (a plist), or nil."
  (gethash (aid-rpc-server-root server) aid-build--statuses))

(defun aid-build--set-status (server status)
  "Record STATUS for SERVER's workspace and show it."
  (puthash (aid-rpc-server-root server) status aid-build--statuses)
  (force-mode-line-update t)
  (aid-build--publish server))

(defun aid-build--on-notification (server method params)
  "Take `build/statusChanged' (METHOD, PARAMS) from SERVER."
  (when (eq method 'build/statusChanged)
    (aid-build--set-status server (plist-get params :status))))

(defun aid-build--on-ready (server)
  "Ask SERVER for its workspace's build status once it is connected."
  (aid-rpc-request server "build/status"
                   (list :workspaceRoot (aid-rpc-server-root server))
                   :on-result (lambda (result)
                                (aid-build--set-status server (plist-get result :status)))
                   :on-error #'ignore)
  (when aid-mode
    (aid-build--manage-buffers server)))

(defun aid-build--on-state-change (_server)
  "Show a change of connection state in the mode line."
  (force-mode-line-update t))


;;; Mode line

(defun aid-build--lighter ()
  "The mode-line text of the current buffer's workspace, or nil."
  (when-let ((server (if (bound-and-true-p aid-chat--root)
                         (aid-rpc-server aid-chat--root)
                       (aid-rpc-server-for-file default-directory))))
    (let* ((status (aid-build-status server))
           (state (plist-get status :state))
           (errors (cl-count-if (lambda (d) (equal (plist-get d :severity) "error"))
                                (plist-get status :diagnostics))))
      (concat
       " "
       (propertize
        (cond
         ((not (aid-rpc-ready-p server)) "Aid:off")
         ((equal state "green") "Aid:green")
         ((equal state "red") (if (> errors 0) (format "Aid:red(%d)" errors) "Aid:red"))
         ((equal state "running") "Aid:building")
         (t "Aid:-"))
        'face (cond ((not (aid-rpc-ready-p server)) 'shadow)
                    ((equal state "green") 'success)
                    ((equal state "red") 'error)
                    ((equal state "running") 'warning))
        'help-echo (format "Aid: build %s%s\nmouse-1: Aid's status"
                           (or state "unknown")
                           (if-let ((command (plist-get status :command)))
                               (format " (%s)" command) ""))
        'mouse-face 'mode-line-highlight
        'local-map (make-mode-line-mouse-map 'mouse-1 #'aid-status))))))


;;; Flymake

(defun aid-build--diagnostics-for (server file)
  "Return the diagnostics of SERVER's last build that concern FILE."
  (let* ((root (aid-rpc-server-root server))
         (true-root (file-truename root))
         (names (delete-dups (list (expand-file-name file) (file-truename file)))))
    (cl-remove-if-not
     (lambda (diagnostic)
       (when-let ((path (plist-get diagnostic :path)))
         ;; Relative to the root, or absolute, maybe through the root's true name.
         (or (member (expand-file-name path root) names)
             (member (expand-file-name path true-root) names))))
     (append (plist-get (aid-build-status server) :diagnostics) nil))))

(defun aid-build--position (line column)
  "The position of 1-based LINE and COLUMN in the current buffer."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- (max line 1)))
    (min (line-end-position) (+ (point) (max 0 (1- (or column 1)))))))

(defun aid-build--make-diagnostic (diagnostic)
  "A Flymake diagnostic of the current buffer for DIAGNOSTIC."
  (let* ((line (or (plist-get diagnostic :line) 1))
         (column (plist-get diagnostic :column))
         (end-line (plist-get diagnostic :endLine))
         (end-column (plist-get diagnostic :endColumn))
         (region
          (if (and end-line end-column
                   (or (> end-line line) (> end-column (or column 1))))
              (cons (aid-build--position line column)
                    (aid-build--position end-line end-column))
            (or (flymake-diag-region (current-buffer) line column)
                (cons (point-min) (min (point-max) (1+ (point-min)))))))
         (code (plist-get diagnostic :code)))
    (flymake-make-diagnostic
     (current-buffer) (car region) (cdr region)
     (pcase (plist-get diagnostic :severity)
       ("error" :error)
       ("warning" :warning)
       (_ :note))
     (concat (plist-get diagnostic :message)
             (if (and code (not (string-empty-p code))) (format " [%s]" code) "")))))

(defun aid-flymake-backend (report-fn &rest _args)
  "A Flymake backend giving the daemon's build diagnostics to REPORT-FN.
The build runs when files are saved; this reports its last result,
and again each time a build of the workspace finishes."
  (setq aid-flymake--report-fn report-fn)
  (aid-flymake--report))

(defun aid-flymake--report ()
  "Give the current buffer's build diagnostics to Flymake."
  (when-let ((report-fn aid-flymake--report-fn)
             (file buffer-file-name)
             (server (aid-rpc-server-for-file file)))
    (save-restriction
      (widen)
      (condition-case nil
          (funcall report-fn
                   (mapcar #'aid-build--make-diagnostic
                           (aid-build--diagnostics-for server file))
                   :region (cons (point-min) (point-max)))
        ;; Flymake restarted the backend since: it will call it again.
        (error (setq aid-flymake--report-fn nil))))))

(defun aid-build--publish (server)
  "Give SERVER's latest diagnostics to each buffer of its workspace."
  (let ((state (plist-get (aid-build-status server) :state)))
    (unless (equal state "running")   ; keep the last result while building
      (dolist (buffer (buffer-list))
        (when (and (buffer-local-value 'aid-flymake--report-fn buffer)
                   (buffer-file-name buffer)
                   (eq (aid-rpc-server-for-file (buffer-file-name buffer)) server))
          (with-current-buffer buffer (aid-flymake--report)))))))

(defun aid-build--manage-buffer ()
  "Use `aid-flymake-backend' in the current buffer."
  (unless (memq #'aid-flymake-backend flymake-diagnostic-functions)
    (add-hook 'flymake-diagnostic-functions #'aid-flymake-backend nil t)
    (if flymake-mode
        (flymake-start)
      (flymake-mode 1))))

(defun aid-build--manage-buffers (server)
  "Use `aid-flymake-backend' in the file buffers of SERVER's workspace."
  (dolist (buffer (buffer-list))
    (let ((file (buffer-file-name buffer)))
      (when (and file (eq (aid-rpc-server-for-file file) server))
        (with-current-buffer buffer
          (unless (derived-mode-p 'aid-chat-mode)
            (aid-build--manage-buffer)))))))

(defun aid-build--find-file ()
  "Use Aid's diagnostics in a newly visited file of a connected workspace."
  (when-let ((file buffer-file-name)
             (server (aid-rpc-server-for-file file)))
    (when (and (aid-rpc-ready-p server) (not (derived-mode-p 'aid-chat-mode)))
      (aid-build--manage-buffer))))

(defun aid-build--unmanage-buffers ()
  "Stop using `aid-flymake-backend' everywhere."
  (dolist (buffer (buffer-list))
    (with-current-buffer buffer
      (when (memq #'aid-flymake-backend flymake-diagnostic-functions)
        (remove-hook 'flymake-diagnostic-functions #'aid-flymake-backend t)
        (setq aid-flymake--report-fn nil)
        (when flymake-mode (flymake-start))))))


;;; The global mode

(defconst aid-build--mode-line '(:eval (aid-build--lighter))
  "The mode-line construct of `aid-mode'.")

;;;###autoload
(define-minor-mode aid-mode
  "Show Aid's build status and diagnostics in workspaces Aid connected.
The mode line shows whether the last build of the buffer's workspace
is green or red (with its errors), or running; Flymake shows its
diagnostics in the files of the workspace.  Aid connects to a
workspace the first time you use it there (\\[aid])."
  :global t
  :group 'aid
  :lighter nil
  (cond
   (aid-mode
    (add-to-list 'mode-line-misc-info aid-build--mode-line)
    (add-hook 'aid-rpc-notification-functions #'aid-build--on-notification)
    (add-hook 'aid-rpc-ready-functions #'aid-build--on-ready)
    (add-hook 'aid-rpc-state-change-functions #'aid-build--on-state-change)
    (add-hook 'find-file-hook #'aid-build--find-file)
    (dolist (server (aid-rpc-servers))
      (when (aid-rpc-ready-p server)
        (aid-build--on-ready server))))
   (t
    (setq mode-line-misc-info (delete aid-build--mode-line mode-line-misc-info))
    (remove-hook 'aid-rpc-notification-functions #'aid-build--on-notification)
    (remove-hook 'aid-rpc-ready-functions #'aid-build--on-ready)
    (remove-hook 'aid-rpc-state-change-functions #'aid-build--on-state-change)
    (remove-hook 'find-file-hook #'aid-build--find-file)
    (aid-build--unmanage-buffers)))
  (force-mode-line-update t))

(provide 'aid-build)
;;; aid-build.el ends here
