// Gate by Gate quizzes (lstm_viz/quiz.py writes the markup): instant feedback
// in the page, no request made. One listener on the document serves every quiz,
// so including this script once per quiz is harmless.
(function () {
  if (window.gbgQuizReady) return;
  window.gbgQuizReady = true;

  // The quiz's language: quiz.py writes the messages on the quiz (data-msg-*).
  var ENGLISH = {msgCorrect: 'Correct.', msgWrong: 'Not quite: try again.',
                 msgUnexpected: 'Not one of the expected answers: try again.',
                 msgNotANumber: 'Enter a number, such as 0.25.'};
  function say(question, key) {
    var quiz = question.closest('.gbg-quiz');
    return (quiz && quiz.dataset[key]) || ENGLISH[key];
  }

  function show(question, answerIndex, correct) {
    question.querySelectorAll('.gbg-quiz-feedback').forEach(function (fb) {
      fb.hidden = fb.dataset.answer !== String(answerIndex);
    });
    question.dataset.state = correct ? 'correct' : 'wrong';
    question.querySelector('.gbg-quiz-verdict').textContent =
      say(question, correct ? 'msgCorrect' : (answerIndex === null ? 'msgUnexpected' : 'msgWrong'));
  }

  function choose(button) {
    var question = button.closest('.gbg-quiz-q');
    question.querySelectorAll('.gbg-quiz-choice').forEach(function (b) {
      b.classList.remove('gbg-quiz-chosen-right', 'gbg-quiz-chosen-wrong');
      b.setAttribute('aria-pressed', 'false');
    });
    var correct = button.dataset.correct === 'true';
    button.classList.add(correct ? 'gbg-quiz-chosen-right' : 'gbg-quiz-chosen-wrong');
    button.setAttribute('aria-pressed', 'true');
    show(question, button.dataset.answer, correct);
  }

  // The entered number, rounded to `precision` significant digits when given.
  function parse(text, precision) {
    var x = Number(String(text).trim().replace(/\u2212/g, '-'));
    if (String(text).trim() === '' || !isFinite(x)) return null;
    return precision ? Number(x.toPrecision(precision)) : x;
  }

  function matches(x, a) {
    if (a.kind === 'value') return Math.abs(x - a.value) <= 1e-12 * Math.max(1, Math.abs(a.value));
    if (a.kind === 'range') return a.range[0] <= x && x <= a.range[1];
    return false;
  }

  function check(form) {
    var question = form.closest('.gbg-quiz-q');
    var key = JSON.parse(form.dataset.key);
    var x = parse(form.querySelector('input').value, Number(form.dataset.precision) || 0);
    if (x === null) {
      show(question, null, false);
      question.querySelector('.gbg-quiz-verdict').textContent = say(question, 'msgNotANumber');
      return;
    }
    var hit = key.findIndex(function (a) { return matches(x, a); });
    if (hit < 0) hit = key.findIndex(function (a) { return a.kind === 'default'; });
    show(question, hit < 0 ? null : hit, hit >= 0 && key[hit].correct);
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('.gbg-quiz-choice');
    if (button) choose(button);
  });
  document.addEventListener('submit', function (event) {
    var form = event.target.closest && event.target.closest('.gbg-quiz-numeric');
    if (!form) return;
    event.preventDefault();
    check(form);
  });
})();
