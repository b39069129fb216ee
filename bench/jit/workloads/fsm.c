/* state machine: a tokenizer over generated input (switch dispatch) */
static unsigned char in[40000];
int main(void)
{
	unsigned x = 99;
	for (int i = 0; i < (int)sizeof in; i++) {
		x = x * 69069u + 1;
		unsigned r = (x >> 24) % 10;
		in[i] = r < 4 ? 'a' + r : r < 7 ? '0' + r : r == 7 ? ' ' : r == 8 ? '"' : '\\';
	}
	int state = 0, words = 0, nums = 0, strs = 0, esc = 0;
	for (int i = 0; i < (int)sizeof in; i++) {
		unsigned char c = in[i];
		switch (state) {
		case 0:
			if (c >= 'a' && c <= 'z') { state = 1; words++; }
			else if (c >= '0' && c <= '9') { state = 2; nums++; }
			else if (c == '"') { state = 3; strs++; }
			break;
		case 1:
			if (!(c >= 'a' && c <= 'z')) state = c == '"' ? 3 : 0;
			break;
		case 2:
			if (!(c >= '0' && c <= '9')) state = 0;
			break;
		case 3:
			if (c == '\\') state = 4;
			else if (c == '"') state = 0;
			break;
		case 4:
			esc++;
			state = 3;
			break;
		}
	}
	return words * 1000000 + nums * 1000 + strs + esc * 7;
}
