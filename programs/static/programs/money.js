/*
 * Money inputs (programs/money.py): as staff type "1,500" with 백만원 (or "1,500,000,000" with 원),
 * show the same amount in the other unit beside the box, and put the thousands separators back
 * when they leave the box. The server parses the same text the same way; this is only a guide.
 */
(function () {
  'use strict';
  var UNITS = {won: 1, million: 1000000};
  var TYPED = [['백만원', 1000000], ['억원', 100000000], ['억', 100000000], ['만원', 10000], ['원', 1]];

  function parse(text, unit) {
    text = (text || '').replace(/[,\s]/g, '').replace(/^△/, '-');
    if (!text) return null;
    var multiplier = UNITS[unit] || 1;
    for (var i = 0; i < TYPED.length; i++) {
      if (text.slice(-TYPED[i][0].length) === TYPED[i][0]) {
        text = text.slice(0, -TYPED[i][0].length);
        multiplier = TYPED[i][1];
        break;
      }
    }
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return NaN;
    return Math.round(parseFloat(text) * multiplier);
  }

  function group(number, places) {
    var negative = number < 0;
    var parts = Math.abs(number).toFixed(places).split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    var text = parts.length > 1 ? parts[0] + '.' + parts[1].replace(/0+$/, '') : parts[0];
    return (negative ? '-' : '') + text.replace(/\.$/, '');
  }

  function update(box) {
    var amount = box.querySelector('.money-amount');
    var unit = box.querySelector('.money-unit');
    var other = box.querySelector('.money-other');
    if (!amount || !unit || !other) return;
    var won = parse(amount.value, unit.value);
    if (won === null) { other.textContent = ''; return; }
    if (isNaN(won)) { other.textContent = '숫자로 입력하세요'; return; }
    other.textContent = unit.value === 'million' ? '= ' + group(won, 0) + '원' : '= ' + group(won / 1000000, 6) + '백만원';
  }

  function tidy(box) {
    var amount = box.querySelector('.money-amount');
    var text = (amount.value || '').replace(/[,\s]/g, '');
    if (/^-?\d+(\.\d+)?$/.test(text)) amount.value = group(parseFloat(text), (text.split('.')[1] || '').length);
  }

  document.addEventListener('input', function (event) {
    var box = event.target.closest && event.target.closest('[data-money]');
    if (box) update(box);
  });
  document.addEventListener('change', function (event) {
    var box = event.target.closest && event.target.closest('[data-money]');
    if (box) update(box);
  });
  document.addEventListener('focusout', function (event) {
    var box = event.target.closest && event.target.closest('[data-money]');
    if (box && event.target.classList.contains('money-amount')) { tidy(box); update(box); }
  });
})();
