;;; first-char.el --- Time from C-c C-c to the first streamed character  -*- lexical-binding: t; -*-

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; Run by bench/run, in `emacs -Q --batch', against a daemon and the fake
;; model.  Each run writes a message in the conversation and calls
;; `aid-chat-send' (what C-c C-c runs); the client's time is from then
;; to the moment the first streamed text is in the buffer (recorded by
;; `aid-chat--on-delta' right after inserting it).  The daemon's time is
;; the result's timings.firstTokenMs: from its reading the request to
;; the model's first token.  What the client adds is the difference:
;; reading the buffer and the editor state, encoding and writing the
;; request, then reading, decoding and inserting the first delta, and
;; the socket both ways.

;;; Code:

(require 'cl-lib)
(require 'aid)

(defun aid-bench--wait (predicate)
  "Wait until PREDICATE is non-nil, at most 30 s."
  (let ((deadline (+ (float-time) 30)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall predicate) (error "Timed out"))))

(defun aid-bench--percentile (values fraction)
  "The FRACTION percentile of VALUES (nearest rank)."
  (let ((sorted (sort (copy-sequence values) #'<)))
    (nth (max 0 (1- (ceiling (* fraction (length sorted))))) sorted)))

(defun aid-bench--one ()
  "Ask once; return (CLIENT-MS DAEMON-FIRST-TOKEN-MS BEFORE-WRITE-MS)."
  (goto-char (point-max))
  (insert "Say something short.")
  (let* ((start (float-time))
         (turn (aid-chat-send)))
    (aid-bench--wait (lambda () (memq (aid-chat--turn-state turn) '(done failed cancelled))))
    (unless (eq (aid-chat--turn-state turn) 'done)
      (error "The request failed: %S" (aid-chat--turn-error turn)))
    (list (* 1000 (- (aid-chat--turn-first-text-at turn) start))
          (plist-get (plist-get (aid-chat--turn-result turn) :timings) :firstTokenMs)
          (* 1000 (- (aid-rpc-request-sent-at (aid-chat--turn-request turn)) start)))))

(defun aid-bench-first-char (runs warmup)
  "Measure RUNS asks after WARMUP ones; print the figures."
  (let* ((workspace (getenv "AID_TEST_WORKSPACE"))
         (source (find-file-noselect (expand-file-name "greet.py" workspace))))
    (setq aid-executable (or (getenv "AID_BIN") "aid")
          aid-conversation-directory (expand-file-name "conversations" (getenv "AID_TEST_DIR")))
    (switch-to-buffer source)
    (aid)
    (aid-bench--wait (lambda () (aid-rpc-ready-p (aid-rpc-server aid-chat--root))))
    (dotimes (_ warmup) (aid-bench--one))
    (let* ((samples (cl-loop repeat runs collect (aid-bench--one)))
           (client (mapcar #'car samples))
           (daemon (mapcar #'cadr samples))
           (before (mapcar #'caddr samples))
           (added (mapcar (lambda (s) (- (car s) (cadr s))) samples)))
      (princ (format "Emacs %s, aid.el %s: command -> first streamed character in the buffer, %d runs (%d warm-up)\n"
                     emacs-version aid-version runs warmup))
      (princ (format "%-36s %8s %8s %8s %8s\n" "" "p50" "p90" "min" "max"))
      (dolist (row (list (cons "client (C-c C-c -> first char), ms" client)
                         (cons "daemon firstTokenMs, ms" daemon)
                         (cons "added by the client, ms" added)
                         (cons "  of which before the write, ms" before)))
        (princ (format "%-36s %8.2f %8.2f %8.2f %8.2f\n" (car row)
                       (aid-bench--percentile (cdr row) 0.5)
                       (aid-bench--percentile (cdr row) 0.9)
                       (apply #'min (cdr row)) (apply #'max (cdr row)))))
      (princ (format "p50 of client - daemon: %.2f ms (target: at most 5 ms)\n"
                     (aid-bench--percentile added 0.5))))))

(provide 'first-char)
;;; first-char.el ends here
