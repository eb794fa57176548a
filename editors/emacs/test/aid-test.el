;;; aid-test.el --- End-to-end tests of aid.el  -*- lexical-binding: t; -*-

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; ERT tests against a real daemon and the fake model server, in the
;; environment test/run prepares with the editors' shared harness:
;; AID_BIN, AID_SOCKET, AID_TEST_WORKSPACE (whose build turns red while
;; a .py file contains "BUG"), AID_FAKE_ANSWERS and AID_FAKE_URL.
;; Tests wait on conditions with `accept-process-output', never sleep.
;; Tests tagged `offline' need no daemon.

;;; Code:

(require 'ert)
(require 'url)
(require 'flymake)
(require 'json)
(require 'seq)
(require 'aid)

(defconst aid-test-timeout 30
  "Seconds to wait for any one thing before failing.")

(defvar aid-test-workspace
  (and (getenv "AID_TEST_WORKSPACE")
       (directory-file-name (expand-file-name (getenv "AID_TEST_WORKSPACE"))))
  "The sample workspace of the harness.")

(defconst aid-test-greet
  "def greet(name):\n    return \"Hello, \" + name\n\n\nif __name__ == \"__main__\":\n    print(greet(\"world\"))\n"
  "The harness's greet.py.")

(defconst aid-test-bang-diff
  "```diff\n--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n def greet(name):\n-    return \"Hello, \" + name\n+    return \"Hello, \" + name + \"!\"\n```\n"
  "A model's diff that makes greet exclaim.")

(defconst aid-test-two-file-diff
  (concat "```diff\n--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n def greet(name):\n"
          "-    return \"Hello, \" + name\n+    return \"Hi, \" + name\n"
          "--- a/util.py\n+++ b/util.py\n@@ -1,2 +1,2 @@\n def shout(text):\n"
          "-    return text\n+    return text.upper()\n```\n")
  "A model's diff of two files.")

(setq aid-executable (or (getenv "AID_BIN") "aid"))


;;; Helpers

(defun aid-test--wait (what predicate &optional timeout)
  "Wait until PREDICATE returns non-nil, and return its value.
Fail the test, naming WHAT, after TIMEOUT seconds."
  (let ((deadline (+ (float-time) (or timeout aid-test-timeout)))
        value)
    (while (and (not (setq value (funcall predicate)))
                (< (float-time) deadline))
      (accept-process-output nil 0.01))
    (or value (ert-fail (format "timed out after %ss waiting for %s"
                                (or timeout aid-test-timeout) what)))))

(defun aid-test--file (name)
  "The file NAME of the sample workspace."
  (expand-file-name name aid-test-workspace))

(defun aid-test--disk (name)
  "The text of the workspace file NAME on disk."
  (with-temp-buffer
    (insert-file-contents (aid-test--file name))
    (buffer-string)))

(defun aid-test--write (name text)
  "Write TEXT to the workspace file NAME."
  (let ((coding-system-for-write 'utf-8-unix))
    (write-region text nil (aid-test--file name) nil 'silent)))

(defun aid-test--fake-requests ()
  "The request bodies the fake model server has received, as plists."
  (let ((url-proxy-services nil)
        (url-request-method "GET"))
    (with-current-buffer (url-retrieve-synchronously
                          (concat (getenv "AID_FAKE_URL") "/requests") t t 10)
      (goto-char (point-min))
      (re-search-forward "\r?\n\r?\n")
      (prog1 (json-parse-buffer :object-type 'plist :array-type 'list)
        (kill-buffer)))))

(defun aid-test--script (&rest answers)
  "Make ANSWERS the fake model's next answers, in order.
The fake answers request N with element N of its file; pad the file
with the requests it has already served."
  (let ((served (length (aid-test--fake-requests))))
    (with-temp-file (getenv "AID_FAKE_ANSWERS")
      (insert (json-encode (vconcat (make-list served "(already served)") answers))))))

(defun aid-test--server ()
  "The server of the sample workspace."
  (aid-rpc-server aid-test-workspace))

(defun aid-test--reset ()
  "Start from the harness's workspace, without buffers or conversations."
  (dolist (buffer (buffer-list))
    (with-current-buffer buffer
      (when (or (aid-chat-buffer-p)
                (and buffer-file-name
                     (string-prefix-p (file-name-as-directory aid-test-workspace)
                                      buffer-file-name)))
        (set-buffer-modified-p nil)
        (kill-buffer buffer))))
  (dolist (file (directory-files aid-test-workspace t "\\.py\\'"))
    (delete-file file))
  (aid-test--write "greet.py" aid-test-greet)
  (setq aid-conversation-directory
        (make-temp-file (expand-file-name "conversations" (getenv "AID_TEST_DIR")) t)))

(defun aid-test--visit (name)
  "Visit the workspace file NAME in the selected window and return its buffer."
  (let ((buffer (find-file-noselect (aid-test--file name))))
    (switch-to-buffer buffer)
    buffer))

(defun aid-test--ask (text &optional kind)
  "Write TEXT under the last heading of the conversation and send it as KIND.
Return the turn."
  (goto-char (point-max))
  (insert text)
  (if (eq kind 'edit) (aid-chat-propose) (aid-chat-send)))

(defun aid-test--answer (turn)
  "The text of TURN's answer in its buffer."
  (buffer-substring-no-properties (aid-chat--turn-start turn) (aid-chat--turn-end turn)))

(defun aid-test--wait-turn (turn &optional state)
  "Wait until TURN ends, and check it ended in STATE (default `done')."
  (aid-test--wait "the answer" (lambda () (memq (aid-chat--turn-state turn) '(done failed cancelled))))
  (should (eq (aid-chat--turn-state turn) (or state 'done))))

(defun aid-test--acceptance (task)
  "The daemon's acceptance figures of TASK (a plist summed over groups)."
  (let ((summary (aid-rpc-request-sync (aid-test--server) "metrics/summary" (list :since "1d")))
        (trials 0) (accepted 0))
    (seq-doseq (group (plist-get summary :acceptance))
      (when (equal (plist-get group :task) task)
        (cl-incf trials (plist-get group :trials))
        (cl-incf accepted (plist-get group :accepted))))
    (list :trials trials :accepted accepted)))

(defun aid-test--run (&rest args)
  "Run the aid command with ARGS without blocking; wait for it; return its output."
  (let* ((output (generate-new-buffer " *aid command*"))
         (process (make-process :name "aid" :buffer output
                                :command (cons aid-executable args)
                                :connection-type 'pipe)))
    (aid-test--wait (format "aid %s" (string-join args " "))
                    (lambda () (not (process-live-p process))))
    (should (eql 0 (process-exit-status process)))
    (prog1 (with-current-buffer output (buffer-string))
      (kill-buffer output))))


;;; Offline

(ert-deftest aid-test-conversation-mode ()
  "A conversation is Markdown: markdown-mode when installed, else text-mode."
  :tags '(offline)
  (with-temp-buffer
    (aid-chat-mode)
    (should (derived-mode-p (if (locate-library "markdown-mode") 'markdown-mode 'text-mode)))
    (should (eq (key-binding (kbd "C-c C-c")) #'aid-chat-send))
    (should (eq (key-binding (kbd "C-c C-a")) #'aid-chat-apply))
    (should (eq (key-binding (kbd "C-c C-k")) #'aid-chat-reject))
    (should (eq (key-binding (kbd "C-c C-v")) #'aid-chat-view))
    (should (eq (key-binding [remap keyboard-quit]) #'aid-chat-cancel-or-quit))))

(ert-deftest aid-test-sections-and-history ()
  "Turns are read from the headings; headings in code blocks do not count."
  :tags '(offline)
  (with-temp-buffer
    (aid-chat-mode)
    (insert "<!-- aid-workspace: /tmp/w -->\n# w\n\n## You\n\nWhat is this?\n\n"
            "```\n## You\n```\n\n## Aid\n\nA test.\n\n### Proposed changes\n\n"
            "<!-- aid-proposal p1 -->\n```diff\n--- a/x\n+++ b/x\n```\n*x: applied*\n\n"
            "## You\n\nNever mind.\n\n## Aid\n\n*Cancelled.*\n\n"
            "## You\n\nAnd now?\n")
    (let ((sections (aid-chat--sections)))
      (should (equal (mapcar #'car sections) '(user assistant user assistant user)))
      (should (equal (aid-chat--history (butlast sections))
                     [(:role "user" :content "What is this?\n\n```\n## You\n```")
                      (:role "assistant" :content "A test.")
                      (:role "user" :content "Never mind.")])))
    (should (equal (aid-chat--header-root) "/tmp/w"))
    (goto-char (point-min))
    (search-forward "--- a/x")
    (should (equal (plist-get (aid-chat--target-block) :id) "p1"))))

(ert-deftest aid-test-positions ()
  "Positions count lines from 0 and characters in UTF-16 code units."
  :tags '(offline)
  (with-temp-buffer
    (insert "ab\n\U0001F600x\ncd")
    (should (equal (aid-edit-position 5) '(:line 1 :character 2)))
    (should (= (aid-edit-point '(:line 1 :character 2)) 5))
    (should (= (aid-edit-point '(:line 9 :character 0)) (point-max)))))

(ert-deftest aid-test-socket-path ()
  "The socket is found the way the daemon finds it."
  :tags '(offline)
  (let ((process-environment (copy-sequence process-environment)))
    (setenv "AID_SOCKET" "/x/aid.sock")
    (should (equal (aid-rpc-socket-path) "/x/aid.sock"))
    (setenv "AID_SOCKET" nil)
    (setenv "XDG_RUNTIME_DIR" "/run/user/7")
    (should (equal (aid-rpc-socket-path) "/run/user/7/aid/aid.sock"))
    (setenv "XDG_RUNTIME_DIR" "")
    (should (equal (aid-rpc-socket-path) (format "/tmp/aid-%d/aid.sock" (user-uid))))))


;;; Against the daemon

(ert-deftest aid-test-chat-streams-applies-undoes-and-records-feedback ()
  "Ask; the answer streams in; apply to a buffer with unsaved edits; one undo reverts it."
  (aid-test--reset)
  (let* ((answer (concat "Add an exclamation mark to the greeting:\n\n" aid-test-bang-diff
                         "\nThat is all."))
         (greet (aid-test--visit "greet.py"))
         (feedback-before nil))
    ;; An unsaved edit: the daemon must see it, and the edit must survive.
    (with-current-buffer greet
      (goto-char (point-min))
      (insert "# Greets people.\n"))
    (aid-test--script (list :text answer :chunkChars 5 :chunkDelayMs 15))
    (aid)
    (should (aid-chat-buffer-p))
    (aid-test--wait "the connection" (lambda () (aid-rpc-ready-p (aid-test--server))))
    (setq feedback-before (aid-test--acceptance "chat"))
    (let ((turn (aid-test--ask "Make greet exclaim."))
          partial)
      ;; Look at the buffer while the answer streams in.
      (aid-test--wait "the first streamed text"
                      (lambda ()
                        (let ((text (aid-test--answer turn)))
                          (when (and (not (string-empty-p text))
                                     (null (aid-chat--turn-result turn)))
                            (setq partial text)))))
      (should (eq (aid-chat--turn-state turn) 'streaming))
      (aid-test--wait-turn turn)
      (let ((final (aid-test--answer turn)))
        (should (< (length partial) (length answer)))
        (should (string-prefix-p partial final))
        (should (string-prefix-p (string-trim answer) final)))
      ;; The proposal: against the unsaved text (one line further down).
      (let* ((proposal (aref (plist-get (aid-chat--turn-result turn) :proposals) 0))
             (file (aref (plist-get proposal :files) 0))
             (edit (aref (plist-get file :edits) 0)))
        (should (equal (plist-get file :path) "greet.py"))
        (should (= 2 (plist-get (plist-get (plist-get edit :range) :start) :line))))
      (should (save-excursion (goto-char (point-min)) (search-forward "ready to apply" nil t)))
      ;; Apply from inside the diff block.
      (goto-char (point-min))
      (search-forward "+    return")
      (let ((before (with-current-buffer greet (buffer-string))))
        (aid-chat-apply)
        (aid-test--wait "the applied status"
                        (lambda () (save-excursion (goto-char (point-min))
                                                   (search-forward "greet.py: applied*" nil t))))
        (with-current-buffer greet
          (should (equal (buffer-string)
                         (concat "# Greets people.\n"
                                 (string-replace "+ name\n" "+ name + \"!\"\n" aid-test-greet))))
          (should (buffer-modified-p))
          (should (equal (aid-test--disk "greet.py") aid-test-greet))
          ;; One undo reverts exactly the applied change.
          (undo)
          (should (equal (buffer-string) before))))
      (when (getenv "AID_TEST_DUMP")
        (message "CONVERSATION:\n%s" (buffer-string)))
      ;; The feedback is in the daemon's records.
      (aid-test--wait "the accepted feedback in metrics/summary"
                      (lambda ()
                        (let ((now (aid-test--acceptance "chat")))
                          (and (= (plist-get now :trials) (1+ (plist-get feedback-before :trials)))
                               (= (plist-get now :accepted) (1+ (plist-get feedback-before :accepted))))))))))

(ert-deftest aid-test-propose-applies-open-buffer-and-disk-then-reject ()
  "edit/propose: one proposal over an open buffer and a file that is not open."
  (aid-test--reset)
  (aid-test--write "util.py" "def shout(text):\n    return text\n")
  (let ((greet (aid-test--visit "greet.py")))
    (aid-test--script aid-test-two-file-diff)
    (aid)
    (let ((turn (aid-test--ask "Say hi, and make shout shout." 'edit))
          before)
      (aid-test--wait-turn turn)
      (should (eq (plist-get (aid-chat--turn-result turn) :applies) t))
      (setq before (aid-test--acceptance "edit"))
      (aid-chat-apply)
      (aid-test--wait "the applied status"
                      (lambda () (save-excursion (goto-char (point-min))
                                                 (search-forward "util.py: applied*" nil t))))
      (with-current-buffer greet
        (should (string-match-p "return \"Hi, \" \\+ name" (buffer-string)))
        (should (buffer-modified-p)))
      (should (equal (aid-test--disk "greet.py") aid-test-greet))
      (should (equal (aid-test--disk "util.py") "def shout(text):\n    return text.upper()\n"))
      (aid-test--wait "the accepted feedback"
                      (lambda () (= (plist-get (aid-test--acceptance "edit") :accepted)
                                    (1+ (plist-get before :accepted)))))
      ;; A second proposal, rejected.
      (with-current-buffer greet (set-buffer-modified-p nil) (revert-buffer t t t))
      (aid-test--script (concat "```diff\n--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n"
                                " def greet(name):\n-    return \"Hello, \" + name\n"
                                "+    return \"Bye, \" + name\n```\n"))
      (let ((second (aid-test--ask "Say bye instead." 'edit)))
        (aid-test--wait-turn second)
        (setq before (aid-test--acceptance "edit"))
        (aid-chat-reject)
        (should (save-excursion (goto-char (point-max))
                                (re-search-backward "greet.py: rejected\\*" nil t)))
        (aid-test--wait "the rejected feedback"
                        (lambda () (= (plist-get (aid-test--acceptance "edit") :trials)
                                      (1+ (plist-get before :trials)))))
        (should (= (plist-get (aid-test--acceptance "edit") :accepted)
                   (plist-get before :accepted)))
        (with-current-buffer greet
          (should (equal (buffer-string) aid-test-greet)))))))

(ert-deftest aid-test-partial-accept ()
  "With a prefix argument, apply only the chosen files: feedback \"partial\"."
  (aid-test--reset)
  (aid-test--write "util.py" "def shout(text):\n    return text\n")
  (let ((greet (aid-test--visit "greet.py"))
        sent)
    (aid-test--script aid-test-two-file-diff)
    (aid)
    (let ((turn (aid-test--ask "Say hi, and make shout shout." 'edit))
          before)
      (aid-test--wait-turn turn)
      (setq before (aid-test--acceptance "edit"))
      (cl-letf* ((original (symbol-function 'aid-rpc-request))
                 ((symbol-function 'completing-read-multiple) (lambda (&rest _) '("util.py")))
                 ((symbol-function 'aid-rpc-request)
                  (lambda (server method params &rest args)
                    (push (cons method params) sent)
                    (apply original server method params args))))
        (aid-chat-apply '(4))
        (aid-test--wait "the partly applied status"
                        (lambda () (save-excursion (goto-char (point-min))
                                                   (search-forward "partly applied (util.py)*" nil t))))
        (aid-test--wait "the feedback" (lambda () (assoc "edit/feedback" sent))))
      (should (equal (cdr (assoc "edit/apply" sent))
                     (list :proposalId (plist-get (aid-chat--turn-result turn) :proposalId)
                           :workspaceRoot aid-test-workspace :paths ["util.py"])))
      (let ((feedback (cdr (assoc "edit/feedback" sent))))
        (should (equal (plist-get feedback :outcome) "partial"))
        (should (equal (plist-get feedback :paths) ["util.py"]))
        (should (equal (plist-get feedback :appliedBy) "daemon")))
      (with-current-buffer greet
        (should (equal (buffer-string) aid-test-greet))
        (should-not (buffer-modified-p)))
      (should (equal (aid-test--disk "util.py") "def shout(text):\n    return text.upper()\n"))
      (aid-test--wait "the partial feedback in metrics/summary (it counts as accepted)"
                      (lambda () (= (plist-get (aid-test--acceptance "edit") :accepted)
                                    (1+ (plist-get before :accepted))))))))

(ert-deftest aid-test-restart-daemon-command ()
  "`aid-restart-daemon' restarts the daemon; Aid reconnects to the new generation."
  (aid-test--reset)
  (aid-test--visit "greet.py")
  (aid-test--script "Still here.")
  (aid)
  (let* ((server (aid-test--server))
         (generation (progn (aid-test--wait "the connection" (lambda () (aid-rpc-ready-p server)))
                            (plist-get (aid-rpc-server-info server) :generation))))
    (aid-restart-daemon)
    (aid-test--wait "the new generation"
                    (lambda () (and (aid-rpc-ready-p server)
                                    (> (plist-get (aid-rpc-server-info server) :generation)
                                       generation))))
    (let ((turn (aid-test--ask "Are you still there?")))
      (aid-test--wait-turn turn)
      (should (equal (string-trim (aid-test--answer turn)) "Still here.")))))

(ert-deftest aid-test-build-error-is-a-flymake-diagnostic ()
  "A saved BUG turns the build red, with an error on the right line."
  (aid-test--reset)
  (let ((greet (aid-test--visit "greet.py")))
    (aid)
    (aid-test--wait "the connection" (lambda () (aid-rpc-ready-p (aid-test--server))))
    (switch-to-buffer greet)
    ;; Flymake starts in a buffer when it is displayed; batch Emacs never redisplays, so run
    ;; what redisplay would run.
    (with-current-buffer greet (run-hooks 'window-configuration-change-hook))
    (aid-test--wait "Aid's Flymake backend"
                    (lambda () (buffer-local-value 'aid-flymake--report-fn greet)))
    (aid-test--wait "a green build" (lambda () (equal (plist-get (aid-build-status (aid-test--server)) :state) "green")))
    (with-current-buffer greet
      (goto-char (point-max))
      (insert "BUG: greet is too polite\n")
      (save-buffer)
      (let ((diagnostic
             (aid-test--wait "the build error in Flymake"
                             (lambda () (car (flymake-diagnostics))))))
        (should (eq (flymake-diagnostic-type diagnostic) :error))
        (should (= 7 (line-number-at-pos (flymake-diagnostic-beg diagnostic))))
        (should (string-match-p "BUG" (flymake-diagnostic-text diagnostic)))
        (should (member aid-build--mode-line mode-line-misc-info))
        ;; (`format-mode-line' gives "" in batch mode: ask the construct itself.)
        (should (equal (aid-build--lighter) " Aid:red(1)")))
      ;; Fixed: green again, and the diagnostic goes away.
      (goto-char (point-max))
      (forward-line -1)
      (delete-region (point) (point-max))
      (save-buffer)
      (aid-test--wait "the build error to go" (lambda () (null (flymake-diagnostics))))
      (should (equal (aid-build--lighter) " Aid:green")))))

(ert-deftest aid-test-daemon-restart-mid-conversation ()
  "The daemon restarts while answering; the answer comes, and the next one too."
  (aid-test--reset)
  (aid-test--visit "greet.py")
  (let* ((slow (mapconcat (lambda (i) (format "Line %d of a slow answer." i))
                          (number-sequence 1 40) "\n"))
         (again "The answer, asked again after the restart."))
    ;; Every model call after the first gets AGAIN (`aid restart' sometimes restarts twice).
    (aid-test--script (list :text slow :chunkChars 4 :chunkDelayMs 25) again)
    (aid)
    (aid-test--wait "the connection" (lambda () (aid-rpc-ready-p (aid-test--server))))
    (let* ((generation (plist-get (aid-rpc-server-info (aid-test--server)) :generation))
           (turn (aid-test--ask "Tell me slowly.")))
      (aid-test--wait "the stream to start" (lambda () (eq (aid-chat--turn-state turn) 'streaming)))
      ;; No drain time: the daemon answers the request with -32002 and restarts.
      (aid-test--run "restart" "--drain-timeout-ms" "0")
      (aid-test--wait-turn turn)
      (should (> (aid-rpc-request-sends (aid-chat--turn-request turn)) 1))
      (should (equal (string-trim (aid-test--answer turn)) again))
      (should (> (plist-get (aid-rpc-server-info (aid-test--server)) :generation) generation))
      ;; The next C-c C-c just works.
      (let ((second (aid-test--ask "And then?")))
        (aid-test--wait-turn second)
        (should (equal (string-trim (aid-test--answer second)) again))))))

(ert-deftest aid-test-unanswered-request-is-sent-again ()
  "A request whose connection closes before its answer is sent again."
  (aid-test--reset)
  (aid-test--visit "greet.py")
  ;; The first model call never answers; the second does.
  (aid-test--script (list :stallBeforeFirstToken t) "Answered after the reconnection.")
  (aid)
  (let* ((server (aid-test--server))
         (served (length (aid-test--fake-requests)))
         (turn (aid-test--ask "Are you there?"))
         (request (aid-chat--turn-request turn)))
    ;; Wait until the daemon is waiting for the model: the request is read, not answered.
    (aid-test--wait "the request to reach the model"
                    (lambda () (> (length (aid-test--fake-requests)) served)))
    (should (eq (aid-rpc-request-state request) 'sent))
    ;; The connection breaks, as when a daemon crashes.
    (delete-process (jsonrpc--process (aid-rpc-server-connection server)))
    (aid-test--wait-turn turn)
    (should (= 2 (aid-rpc-request-sends request)))
    (should (equal (string-trim (aid-test--answer turn)) "Answered after the reconnection."))))

(ert-deftest aid-test-cancel ()
  "Cancelling sends $/cancelRequest; the daemon answers -32800."
  (aid-test--reset)
  (aid-test--visit "greet.py")
  (aid-test--script (list :stallBeforeFirstToken t))
  (aid)
  (let* ((served (length (aid-test--fake-requests)))
         (turn (aid-test--ask "Never mind.")))
    (aid-test--wait "the request to reach the model"
                    (lambda () (> (length (aid-test--fake-requests)) served)))
    (should (eq (aid-chat--turn-state turn) 'waiting))
    (call-interactively #'aid-chat-cancel-or-quit)
    (aid-test--wait-turn turn 'cancelled)
    (should (eql -32800 (plist-get (aid-chat--turn-error turn) :code)))
    (should (string-match-p "\\*Cancelled\\.\\*" (aid-test--answer turn)))))

(ert-deftest aid-test-reopened-conversation-sends-history ()
  "A saved conversation, reopened, sends its earlier turns as history."
  (aid-test--reset)
  (let ((file (expand-file-name "saved.aid.md" aid-conversation-directory)))
    (with-temp-file file
      (insert (format "<!-- aid-workspace: %s -->\n# workspace\n\n" aid-test-workspace)
              "## You\n\nWhat does greet return?\n\n## Aid\n\nA greeting string.\n\n"
              "## You\n\nIn French?\n"))
    (aid-test--script "Bonjour.")
    (find-file file)
    (should (aid-chat-buffer-p))
    (should (equal aid-chat--root aid-test-workspace))
    (let ((turn (aid-chat-send)))
      (aid-test--wait-turn turn)
      (should (equal (string-trim (aid-test--answer turn)) "Bonjour."))
      (let* ((messages (plist-get (car (last (aid-test--fake-requests))) :messages))
             (contents (mapcar (lambda (m) (plist-get m :content)) messages)))
        (should (member "A greeting string." contents))
        (should (cl-some (lambda (c) (string-match-p "What does greet return\\?" c)) contents))))
    (save-buffer)
    (should (string-match-p "## Aid\n\nBonjour\\.\n\n## You"
                            (with-temp-buffer (insert-file-contents file) (buffer-string))))))

(ert-deftest aid-test-reopened-proposal-applies-from-the-record ()
  "A proposal of a saved, reopened conversation is applied by the daemon from its record."
  (aid-test--reset)
  (aid-test--visit "greet.py")
  (aid-test--script (concat "Here:\n\n" aid-test-bang-diff))
  (aid)
  (let* ((turn (aid-test--ask "Make greet exclaim."))
         (file (buffer-file-name)))
    (aid-test--wait-turn turn)
    (save-buffer)
    (kill-buffer)
    (find-file file)
    (should (aid-chat-buffer-p))
    (should (= 0 (hash-table-count aid-chat--proposals)))
    (aid-chat-apply)
    (aid-test--wait "the applied status"
                    (lambda () (save-excursion (goto-char (point-min))
                                               (search-forward "greet.py: applied*" nil t))))
    (should (equal (aid-test--disk "greet.py")
                   (string-replace "+ name\n" "+ name + \"!\"\n" aid-test-greet)))
    ;; The open buffer follows the disk.
    (with-current-buffer (get-file-buffer (aid-test--file "greet.py"))
      (should (equal (buffer-string) (aid-test--disk "greet.py"))))))

(ert-deftest aid-test-ask-region ()
  "`aid-ask-region' sends the region as the selection, with the question."
  (aid-test--reset)
  (let ((greet (aid-test--visit "greet.py")))
    (aid-test--script "It returns a greeting.")
    (with-current-buffer greet
      (goto-char (point-min))
      (forward-line 1)
      (push-mark (point) t t)
      (end-of-line)
      (aid-ask-region (region-beginning) (region-end) "What does this line do?"))
    (with-current-buffer (aid-chat-open aid-test-workspace)
      (let ((turn aid-chat--turn))
        (aid-test--wait-turn turn)
        (should (string-match-p "What does this line do\\?\n\ngreet.py, lines 2-2:\n\n```python"
                                (buffer-string)))
        (let ((params (aid-rpc-request-params (aid-chat--turn-request turn))))
          (should (equal (plist-get params :selection)
                         '(:start (:line 1 :character 0) :end (:line 1 :character 27))))
          (should (equal (plist-get params :file) (aid-test--file "greet.py"))))))))

(ert-deftest aid-test-status-shows-the-daemon ()
  "`aid-status' shows the daemon's version, pid and generation."
  (aid-test--reset)
  (aid-test--visit "greet.py")
  (let ((status (aid-status)))
    (should (string-match-p "\\`[0-9]+\\.[0-9]+" (plist-get status :version)))
    (with-current-buffer "*aid status*"
      (should (string-match-p (format "^aid %s (protocol " (regexp-quote (plist-get status :version)))
                              (buffer-string)))
      (should (string-match-p (format "pid +%s " (plist-get status :pid)) (buffer-string))))))

(provide 'aid-test)
;;; aid-test.el ends here
