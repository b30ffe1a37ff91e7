"""The baseline for bench/notify.sh: a plain SMTP client (smtplib) sending COUNT copies of a
message over one connection, as fast as the server takes them.

    smtp_client.py HOST PORT COUNT SUBJECT TEXT_FILE HTML_FILE   -> prints the seconds it took
"""
import smtplib
import sys
import time
from email.message import EmailMessage


def main():
    host, port, count, subject = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    text = open(sys.argv[5]).read()
    html = open(sys.argv[6]).read()
    start = time.monotonic()
    with smtplib.SMTP(host, port) as smtp:
        for i in range(count):
            message = EmailMessage()
            message["From"] = "LoopGPT <status@loopgpt.ai>"
            message["To"] = f"baseline-{i}@example.com"
            message["Subject"] = subject
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            smtp.send_message(message)
    print(f"{time.monotonic() - start:.3f}")


if __name__ == "__main__":
    main()
